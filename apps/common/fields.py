from django.db import models

from apps.common.ids import ID_LENGTH, new_id


class IdField(models.CharField):
    """Primary key holding an opaque 25-character id generated on create."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", ID_LENGTH)
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("default", new_id)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "apps.common.fields.IdField", args, kwargs
