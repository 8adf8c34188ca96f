"""Admin forms of the inventory."""

from django import forms

from .models import Cloud

SECRET_FIELDS = ("password", "application_credential_secret")


class RegionsField(forms.CharField):
    """Region names typed comma-separated; the model keeps them as a list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [name.strip() for name in super().to_python(value).split(",") if name.strip()]


class CloudForm(forms.ModelForm):
    """Secrets are write-only: never rendered back, and left blank they keep the stored value."""

    auth_url = forms.URLField(label="Auth URL", max_length=500, assume_scheme="https")
    regions = RegionsField(
        required=False, help_text="Region names, comma-separated, e.g. RegionOne; empty: all."
    )

    class Meta:
        model = Cloud
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose and order them)
        widgets = {
            field: forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
            for field in SECRET_FIELDS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in SECRET_FIELDS:
            if field in self.fields and self.instance.pk and getattr(self.instance, field):
                self.fields[field].help_text = "Stored. Leave blank to keep it, type to replace it."

    def clean(self):
        cleaned = super().clean()
        for field in SECRET_FIELDS:
            if not cleaned.get(field) and self.instance.pk:
                cleaned[field] = getattr(self.instance, field)
        return cleaned
