"""PDF builders: each app registers its documents here (from its ``pdf.py``, in ``ready()``).

A builder is a registry key (``"<app>.case_file"``), the model it documents, the template
under ``templates/pdf/`` and a function ``context(obj, user) -> dict`` that reads what ``user``
may see of ``obj``. A queued export names its builder by key, so renaming a view or moving code
never strands an export; the key is the contract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

ContextBuilder = Callable[[models.Model, Any], dict[str, Any]]


@dataclass(frozen=True)
class PdfBuilder:
    key: str
    model: type[models.Model]
    template_name: str
    context: ContextBuilder
    capability: str = "export_pdf"


_builders: dict[str, PdfBuilder] = {}


def register_pdf_builder(
    key: str,
    *,
    model: type[models.Model],
    template_name: str,
    context: ContextBuilder,
    capability: str = "export_pdf",
) -> PdfBuilder:
    """Declare a document; registering the same key again replaces it (module reloads)."""
    builder = PdfBuilder(key, model, template_name, context, capability)
    _builders[key] = builder
    return builder


def pdf_builder(key: str) -> PdfBuilder:
    """The builder registered as ``key``; ``LookupError`` when there is none."""
    try:
        return _builders[key]
    except KeyError:
        raise LookupError(f"No PDF builder is registered as {key!r}.") from None


def pdf_builder_for(model: type[models.Model]) -> PdfBuilder:
    """The one builder registered for ``model`` (a view that names none uses it)."""
    found = [b for b in _builders.values() if b.model is model]
    if len(found) != 1:
        raise ImproperlyConfigured(
            f"{model._meta.label} has {len(found)} PDF builders; name one with pdf_builder."
        )
    return found[0]
