"""Invoice lines keep their devices columnar: tags, and an amount each or one for all."""

from django.db import migrations, models


def columnar(apps, schema_editor):
    """[[tag, amount], …] → {"tags": […], "amounts": […]} or {"tags": […], "each": amount}."""
    InvoiceLine = apps.get_model("billing", "InvoiceLine")
    for line in InvoiceLine.objects.only("devices").iterator(chunk_size=2000):
        pairs = line.devices
        if not isinstance(pairs, list):
            continue
        if not pairs:
            line.devices = {}
        else:
            tags = [tag for tag, _ in pairs]
            amounts = [amount for _, amount in pairs]
            if len({str(a) for a in amounts}) == 1:
                line.devices = {"tags": tags, "each": amounts[0]}
            else:
                line.devices = {"tags": tags, "amounts": amounts}
        line.save(update_fields=["devices"])


def pairs(apps, schema_editor):
    InvoiceLine = apps.get_model("billing", "InvoiceLine")
    for line in InvoiceLine.objects.only("devices").iterator(chunk_size=2000):
        stored = line.devices
        if not isinstance(stored, dict):
            continue
        tags = stored.get("tags", [])
        amounts = stored.get("amounts") or [stored.get("each", "0")] * len(tags)
        line.devices = [[tag, amount] for tag, amount in zip(tags, amounts, strict=True)]
        line.save(update_fields=["devices"])


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="invoiceline",
            name="devices",
            field=models.JSONField(blank=True, default=dict, verbose_name="devices"),
        ),
        migrations.RunPython(columnar, pairs),
    ]
