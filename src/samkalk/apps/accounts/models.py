"""A user's role in Samkalk, and for member readers the one member they belong to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samkalk.apps.federation.models import Member


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    ECONOMIST = "economist", _("economist")
    OBJECT_OWNER = "object_owner", _("object owner")
    MEMBER_READER = "member_reader", _("member reader")
    BOARD_READER = "board_reader", _("board reader")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="readers",
        verbose_name=_("member"),
        help_text=_("Required for member readers: the only member they see."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="member_reader") | models.Q(member__isnull=False),
                name="profile_member_reader_needs_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
