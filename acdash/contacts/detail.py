"""(in progress: the contact page helper replaces this stub)"""

from django.http import HttpResponse

from acdash.accounts.access import account_view


@account_view
def contact_page(request, account, contact_id):
    return HttpResponse("Contact")
