"""Förvaltningsobjekt: the bounded areas the federation manages, each with an owner."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GovernanceObject(models.Model):
    """Förvaltningsobjekt: a primary, support or infrastructure object (pm3)."""

    class Category(models.TextChoices):
        PRIMARY = "primary", _("primary object")
        SUPPORT = "support", _("support object")
        INFRASTRUCTURE = "infrastructure", _("infrastructure")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    scope = models.TextField(_("scope"), blank=True, help_text=_("What the object covers."))
    owner_name = models.CharField(_("object owner"), max_length=200, blank=True)
    owner_email = models.EmailField(
        _("object owner's e-mail"),
        blank=True,
        help_text=_("A user with the object owner role and this e-mail manages the object."),
    )

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("governance object")
        verbose_name_plural = _("governance objects")

    def __str__(self) -> str:
        return self.name
