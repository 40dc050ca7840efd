"""(in progress: the contact list helper replaces these stubs)"""

from django.http import HttpResponse

from acdash.accounts.access import account_view


@account_view
def contact_list(request, account):
    return HttpResponse("Contacts")


@account_view
def create_contact(request, account):
    return HttpResponse("Create")


@account_view
def delete_contact(request, account, contact_id):
    return HttpResponse("Delete")
