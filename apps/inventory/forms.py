"""Admin forms of the inventory."""

from django import forms

from .models import Cloud

SECRET_FIELDS = ("password", "application_credential_secret")


class CloudForm(forms.ModelForm):
    """Secrets are write-only: never rendered back, and left blank they keep the stored value."""

    auth_url = forms.URLField(label="Auth URL", max_length=500, assume_scheme="https")

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
