import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.views.decorators.debug import sensitive_variables

from acdash.activecampaign import normalise_api_url

from . import urlguard
from .models import ConnectedAccount, Membership, Role

# The token travels as the Api-Token header: only visible ASCII can be sent there.
TOKEN_CHARACTERS = re.compile(r"^[\x21-\x7e]+$")


class ConnectAccountForm(forms.ModelForm):
    """Connect (or edit) an account; the token is verified live before saving.

    Every method that holds the token is ``sensitive_variables()`` (all of them): Django's
    error reports then hide the locals of that frame and of every frame it calls.
    """

    api_token = forms.CharField(
        label="API token",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        required=False,
        max_length=200,
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
            self.fields["api_token"].help_text = (
                f"Saved token: {self.instance.masked_token}. Leave empty to keep it; "
                "enter it again if you change the API URL."
            )
        else:
            self.fields["api_token"].required = True

    def clean_api_url(self) -> str:
        url = urlguard.clean_api_url(self.cleaned_data["api_url"])
        others = ConnectedAccount.objects.exclude(pk=self.instance.pk)
        for other in others.only("slug", "name", "api_url"):
            if normalise_api_url(other.api_url) == normalise_api_url(url):
                link = reverse("accounts:edit", args=[other.slug])
                raise ValidationError(
                    format_html(
                        'This API URL is already connected as <a href="{}">{}</a>.',
                        link,
                        other.name,
                    )
                )
        return url

    @sensitive_variables()
    def clean_api_token(self) -> str:
        token = self.cleaned_data["api_token"]
        if token and not TOKEN_CHARACTERS.match(token):
            raise ValidationError(
                "The token can contain only letters, digits and punctuation (no spaces, line "
                "breaks or accented letters). Copy it again from Settings → Developer."
            )
        return token

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("name", ""))
        if not slug:
            raise ValidationError("Enter a short name for URLs.")
        clash = ConnectedAccount.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("Another account already uses this short name.")
        return slug

    @sensitive_variables()
    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("api_url")
        token = cleaned.get("api_token")
        if self.instance.pk and url and not token:
            # A stored token is only ever sent to the URL it was saved with.
            if normalise_api_url(url) != normalise_api_url(self.instance.api_url):
                self.add_error(
                    "api_token",
                    "You changed the API URL: enter the account's API token again "
                    "(a saved token is only sent to the URL it was saved with).",
                )
                return cleaned
            try:
                token = self.instance.api_token
            except ValueError:  # the keys in ACDASH_FERNET_KEYS changed
                self.add_error("api_token", "The saved token cannot be read: enter it again.")
                return cleaned
        if url and token and not self.errors:
            # verify() returns a message for the field that is wrong, or None.
            problem = self.verify(url, token)
            if problem is not None:
                field, message = problem
                self.add_error(field, message)
        return cleaned

    @sensitive_variables()
    def save(self, commit: bool = True) -> ConnectedAccount:
        account = super().save(commit=False)
        if token := self.cleaned_data.get("api_token"):
            account.set_token(token)
        if commit:
            account.save()
        return account


class MembershipForm(forms.Form):
    """Add a member: any existing, active user who is not a member yet (checked here)."""

    username = forms.CharField(
        label="User",
        max_length=150,
        widget=forms.TextInput(attrs={"list": "member-candidates", "autocomplete": "off"}),
        help_text="Start typing: existing users who are not members yet are suggested.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args, account: ConnectedAccount, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(f"No staff user named {username}. Pick one from the list.")
        current = Membership.objects.filter(user=user, account=self.account).first()
        if current is not None:
            raise ValidationError(
                f"{username} is already {current.role} of {self.account.name}; "
                "change the role in the list above."
            )
        return user

    def save(self) -> Membership:
        return Membership.objects.create(
            user=self.cleaned_data["username"],
            account=self.account,
            role=self.cleaned_data["role"],
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
