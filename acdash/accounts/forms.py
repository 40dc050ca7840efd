from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from . import urlguard
from .models import ConnectedAccount, Membership, Role


class ConnectAccountForm(forms.ModelForm):
    """Connect (or edit) an account; the token is verified live before saving."""

    api_token = forms.CharField(
        label="API token",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        required=False,
        help_text="Settings → Developer in ActiveCampaign. Leave empty to keep the saved token.",
    )

    class Meta:
        model = ConnectedAccount
        fields = ["name", "slug", "api_url"]
        help_texts = {"api_url": "e.g. https://yourname.api-us1.com"}

    def __init__(self, *args, verify, **kwargs):
        super().__init__(*args, **kwargs)
        self.verify = verify
        self.fields["slug"].required = False
        self.fields["api_url"] = forms.CharField(
            label="API URL", help_text=self.Meta.help_texts["api_url"], max_length=300
        )
        if self.instance.pk:
            self.fields[
                "api_token"
            ].help_text = f"Saved token: {self.instance.masked_token}. Leave empty to keep it."
        else:
            self.fields["api_token"].required = True

    def clean_api_url(self) -> str:
        return urlguard.clean_api_url(self.cleaned_data["api_url"])

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("name", ""))
        if not slug:
            raise ValidationError("Enter a short name for URLs.")
        clash = ConnectedAccount.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("Another account already uses this short name.")
        return slug

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("api_url")
        token = cleaned.get("api_token") or (self.instance.pk and self.instance.api_token)
        if url and token and not self.errors:
            # verify() returns a message for the field that is wrong, or None.
            problem = self.verify(url, token)
            if problem is not None:
                field, message = problem
                self.add_error(field, message)
        return cleaned

    def save(self, commit: bool = True) -> ConnectedAccount:
        account = super().save(commit=False)
        if token := self.cleaned_data.get("api_token"):
            account.set_token(token)
        if commit:
            account.save()
        return account


class MembershipForm(forms.Form):
    username = forms.CharField(label="Staff user name")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args, account: ConnectedAccount, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ValidationError(f"No staff user named {username}.")
        return user

    def save(self) -> Membership:
        membership, _ = Membership.objects.update_or_create(
            user=self.cleaned_data["username"],
            account=self.account,
            defaults={"role": self.cleaned_data["role"]},
        )
        return membership
