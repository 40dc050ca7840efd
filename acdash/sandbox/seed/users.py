"""Users, the two user groups they belong to, and the account's branding (which belongs to
the admin group)."""

from datetime import timedelta

from .clock import ANCHOR
from .context import Seeding
from .vocabulary import ADMIN_ONLY_FLAGS, AREA_CODES, GROUP_FLAGS, USERS


def add_users(seeding: Seeding) -> None:
    created = seeding.clock.days_ago(1500, 1400)
    seeding.groups = []
    for title, descript in (
        ("Admin", "Administrators: manage users, lists and pipelines"),
        ("Sales", "Sales reps: contacts and deals"),
    ):
        flags = {f: "0" if title == "Sales" and f in ADMIN_ONLY_FLAGS else "1" for f in GROUP_FLAGS}
        flags["pgContactActions"] = "0"
        data = {
            "title": title,
            "descript": descript,
            "unsubscribelink": "0",
            "optinconfirm": "0",
            "p_admin": "1" if title == "Admin" else "0",
            **flags,
            "sdate": seeding.clock.iso(created),
            "reqApproval": "0",
            "reqApproval1st": "2",
            "reqApprovalNotify": "",
            "socialdata": "0",
        }
        seeding.groups.append(seeding.w.add("group", data))
    seeding.user_ids = []
    for username, first, last in USERS:
        joined = seeding.clock.between(created, ANCHOR - timedelta(days=300))
        data = {
            "username": username,
            "firstName": first,
            "lastName": last,
            "email": f"{username}@{seeding.domain}",
            "phone": f"+1-{seeding.rng.choice(AREA_CODES)}-555-{seeding.rng.randint(100, 199):04d}",
            "signature": None,
            "lang": "english",
            "localZoneid": seeding.account.timezone,
            "cdate": seeding.clock.iso(joined),
            "udate": seeding.clock.iso(joined),
        }
        user_id = seeding.w.add("user", data, key=username)
        seeding.user_ids.append(user_id)
        # One group per user, through a userGroup (parent = user id, key = group id).
        group = str(seeding.groups[0] if username == "admin" else seeding.groups[1])
        link = {"userid": str(user_id), "groupid": group, "group": group, "user": str(user_id)}
        seeding.w.add("userGroup", link, parent=user_id, key=group)
    seeding.reps = [str(rid) for rid in seeding.user_ids[1:]]


def add_branding(seeding: Seeding) -> None:
    name = seeding.account.name
    seeding.w.add(
        "branding",
        {
            "groupid": str(seeding.groups[0]),
            "siteName": name,
            "siteLogo": f"https://{seeding.domain}/static/logo.png",
            "siteLogoSmall": f"https://{seeding.domain}/static/logo-small.png",
            "headerTextValue": f"{name} — news and offers",
            "headerHtmlValue": f"<p><strong>{name}</strong> news and offers</p>",
            "footerTextValue": f"{name}, 100 Main St, Springfield",
            "footerHtmlValue": f"<p>{name}, 100 Main St, Springfield</p>",
            "copyright": "1",
            "version": "1",
            "license": "1",
            "links": "1",
            "help": "1",
            "adminTemplateHtm": "",
            "adminTemplateCss": "",
            "publicTemplateHtm": "",
            "publicTemplateCss": "",
            "favicon": None,
        },
    )
