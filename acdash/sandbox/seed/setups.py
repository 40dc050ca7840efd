"""Deliberate setup differences between the demo accounts, so that comparing them (the
compare page, /setup/compare/) has something to show: a few per part, one conflict of
each sort. Applied after the rest is seeded by editing its records, with no random draws,
so the rest of an account's data is exactly what its seed makes.

``globex`` compared with ``northwind`` as the source then reports (names from the seed's
vocabulary): contact fields — Birthday to create (it is "Date of Birth" here), Industry
to update (an option less), City a conflict (a textarea here); deal fields — the first to
create (relabelled); account fields — the first to update (required here); pipelines —
the first a conflict (its second stage renamed here, and the name used by a stage of the
second pipeline, which is then to update); task types — the first to create (renamed);
tags — the first to create (renamed), the second to update (its description); lists — the
first to create (renamed); branding — to update (the site name is the account's).
"""

from django.db.models import QuerySet

from ..models import SandboxAccount, SandboxRecord


def _records(account: SandboxAccount, kind: str) -> QuerySet[SandboxRecord]:
    return SandboxRecord.objects.filter(account=account, kind=kind).order_by("rid")


def _set(record: SandboxRecord, **data) -> None:
    record.data.update(data)
    record.save(update_fields=["data"])


def _field(account: SandboxAccount, title: str) -> SandboxRecord:
    return next(r for r in _records(account, "field") if r.data.get("title") == title)


def vary_globex(account: SandboxAccount) -> None:
    _set(_field(account, "Birthday"), title="Date of Birth")
    industry = _field(account, "Industry")
    _records(account, "fieldOption").filter(parent=industry.rid).last().delete()
    _set(_field(account, "City"), type="textarea")
    _set(_records(account, "dealCustomFieldMeta").first(), fieldLabel="Deal Source (Globex)")
    _set(_records(account, "accountCustomFieldMeta").first(), isRequired=1)
    first, second = list(_records(account, "dealGroup")[:2])
    stage = _records(account, "dealStage").filter(parent=first.rid)[1]
    title = stage.data["title"]
    _set(stage, title=f"{title} (old)")
    _set(_records(account, "dealStage").filter(parent=second.rid).first(), title=title)
    _set(_records(account, "dealTasktype").first(), title="Globex call")
    tag, other = list(_records(account, "tag")[:2])
    tag.key = "globex vip"
    tag.data["tag"] = "Globex VIP"
    tag.save(update_fields=["data", "key"])
    _set(other, description="Changed in Globex")
    _set(_records(account, "list").first(), name="Globex Newsletter")


VARIANTS = {"globex": vary_globex}


def vary_setup(account: SandboxAccount, variant: str) -> None:
    """Apply the named variant ("" for none) to a freshly seeded account."""
    if variant:
        VARIANTS[variant](account)
