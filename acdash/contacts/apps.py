from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "acdash.contacts"
    label = "contacts"
    verbose_name = "Contacts"
