"""Who may read an article, and what part of the product it is about."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    CUSTOMERS = "customers", _("Signed-in customers")
    GROUPS = "groups", _("Selected customer groups")


class CustomerGroup(models.Model):
    """A named set of customers (a company, a plan, a partner programme) that content can target.

    Kept apart from Django's auth groups, which grant staff permissions: being in a customer group
    lets someone *read* more, never *do* more.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="customer_groups"
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("members")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer group")

    def __str__(self) -> str:
        return self.name


class ProductArea(TranslatableMixin, models.Model):
    """The part of the product an article covers; used for filters and, later, insights."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("product area")

    def __str__(self) -> str:
        return self.name
