"""Campaigns with their links and send/open/click figures, messages, email activities."""

from ..engine import Family, serve, sublist

CAMPAIGN_FILTERS = ("type", "list_id", "seriesid", "label_name", "status", "willrecur")
CAMPAIGNS = serve(
    Family(
        kind="campaign",
        singular="campaign",
        plural="campaigns",
        entity="Campaign",
        ops={"list": "/campaigns", "read": "/campaigns/{id}"},
        filters={
            **{f"filters[{name}]": name for name in CAMPAIGN_FILTERS},
            "filters[name]": "name__icontains",
        },
        orders=("sdate", "mdate", "ldate", "status"),
        mirrors={"user": "userid"},
    )
)
LINKS = Family(
    kind="link",
    singular="link",
    plural="links",
    entity="Link",
    ops={},
    mirrors={"campaign": "campaignid", "message": "messageid"},
)
sublist("/campaigns/{id}/links", CAMPAIGNS, LINKS, "campaignid")

MESSAGES = serve(
    Family(
        kind="message",
        singular="message",
        plural="messages",
        entity="Message",
        ops={
            "create": "/messages",
            "list": "/messages",
            "read": "/messages/{id}",
            "update": "/messages/{id}",
            "delete": "/messages/{id}",
        },
        required=("subject",),
        orders=("cdate", "mdate"),
    )
)

EMAIL_ACTIVITIES = serve(
    Family(
        kind="emailActivity",
        singular="emailActivity",
        plural="emailActivities",
        entity="EmailActivity",
        ops={"list": "/emailActivities"},
        filters={"filters[subscriberid]": "subscriberid", "filters[dealId]": "deal"},
        orders=("subscriberid", "tstamp"),
        mirrors={"contact": "subscriberid", "user": "userid"},
        # The reference's example is an empty object; the keys are those the API's
        # documentation lists for an email activity.
        defaults={
            "subscriberid": "0",
            "userid": "1",
            "d_id": "0",
            "account": None,
            "reltype": "Subscriber",
            "relid": "0",
            "from_name": "",
            "fromAddress": "",
            "toAddress": "",
            "ccAddress": "",
            "subject": "",
            "message": "",
            "messageHtml": "",
            "tstamp": "2024-01-01T00:00:00-06:00",
            "series_id": "0",
            "links": {"contact": "", "deal": "", "user": ""},
            "id": "1",
            "contact": "0",
            "deal": None,
            "user": "1",
        },
    )
)
