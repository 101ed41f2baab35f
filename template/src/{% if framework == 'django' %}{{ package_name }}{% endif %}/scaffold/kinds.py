"""How each field type is written: the model field, the request and response fields, and
the values the generated tests send."""

from __future__ import annotations

# Each type: the model field, the request field, the response field.
COLUMNS = {
    "str": (
        "models.CharField(max_length=200)",
        "serializers.CharField(max_length=200, validators=[visible_name]{extra})",
        "serializers.CharField()",
    ),
    "text": (
        "models.TextField()",
        "serializers.CharField(max_length=10_000, allow_blank=True{extra})",
        "serializers.CharField()",
    ),
    "int": (
        "models.BigIntegerField()",
        "serializers.IntegerField(min_value=-(2**63), max_value=2**63 - 1{extra})",
        "serializers.IntegerField()",
    ),
    "decimal": (
        "models.DecimalField(max_digits=14, decimal_places=2)",
        "serializers.DecimalField(max_digits=14, decimal_places=2{extra})",
        "serializers.DecimalField(max_digits=14, decimal_places=2)",
    ),
    "bool": (
        "models.BooleanField()",
        "serializers.BooleanField({extra})",
        "serializers.BooleanField()",
    ),
    "date": ("models.DateField()", "serializers.DateField({extra})", "serializers.DateField()"),
    "datetime": (
        "models.DateTimeField()",
        "serializers.DateTimeField({extra})",
        "serializers.DateTimeField()",
    ),
    "uuid": ("models.UUIDField()", "serializers.UUIDField({extra})", "serializers.UUIDField()"),
    "ref": ("", "serializers.UUIDField({extra})", "serializers.UUIDField()"),
}
# A value of each type as a test sends it, and another one for an update.
SAMPLES = {
    "str": ('"Sample"', '"Changed"'),
    "text": ('"A longer text."', '"Another text."'),
    "int": ("42", "43"),
    "decimal": ('"10.50"', '"11.25"'),
    "bool": ("True", "False"),
    "date": ('"2026-01-02"', '"2026-02-03"'),
    "datetime": ('"2026-01-02T03:04:05Z"', '"2026-02-03T04:05:06Z"'),
    "uuid": ('"0196a7f0-0000-7000-8000-000000000001"', '"0196a7f0-0000-7000-8000-000000000002"'),
}
