"""The API's refusal of a custom field's value is shown by that field's input, not only at
the top of the editor, and nothing is saved or audited."""

import re

from acdash.audit.models import AuditEntry

from . import test_detail as shared
from .test_detail import HTMX, field_ids, page_url, section
from .test_inline_edit import open_editor

acme, api, ac, person = shared.acme, shared.api, shared.ac, shared.person


def test_a_422_about_the_value_is_shown_by_the_value_input(acme, api, ac, admin_client, person):
    field_id = field_ids(ac)["text"]
    url = f"/a/acme/contacts/{person.id}/fields/{field_id}/"
    page = admin_client.get(page_url(person.id)).content.decode()
    editor = open_editor(admin_client, url, page, f"field-{field_id}")
    # Someone deletes the field in ActiveCampaign; acdash still has it in its metadata.
    api.ok("DELETE", f"/fields/{field_id}")
    html = admin_client.post(url, {**editor, "value": "Paris"}, headers=HTMX).content.decode()
    form = section(html, f"field-{field_id}")
    errors = section(form, f"cf{field_id}_value_error")
    assert "The related field does not exist." in errors
    value = re.search(rf'<input[^>]*id="cf{field_id}_value"[^>]*>', form)[0]
    assert 'aria-invalid="true"' in value
    assert f'aria-describedby="cf{field_id}_value_error"' in value
    assert 'role="alert"' not in form  # not a message about the whole editor
    assert not AuditEntry.objects.exists()
