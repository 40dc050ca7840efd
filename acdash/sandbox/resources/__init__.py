"""One module per resource family; importing them registers their routes and presenters.

Record kinds and their ``parent``/``key`` columns:

=========================  ==========================  =========================
kind                       parent                      key
=========================  ==========================  =========================
contact                    -                           lower-cased email
fieldValue                 contact id                  field id
contactTag                 contact id                  tag id
contactList                contact id                  list id
note                       relid (see data.reltype)    -
deal                       contact id                  -
dealTask                   relid: deal or contact id   - (data.reltype Deal/Subscriber)
dealStage                  pipeline (dealGroup) id     -
dealCustomFieldDatum       deal id                     field id
accountCustomFieldDatum    account id                  field id
accountContact             contact id                  account id
fieldOption / fieldRel     field id                    -
contactDeal                deal id                     contact id
dealGroupUser/dealGroupGroup  pipeline id              user / group id
dealRole                   -                           lower-cased title
tasktypeOutcomeRel         task type id                outcome id
taskNotification           task id                     -
userGroup                  user id                     group id
tag                        -                           lower-cased tag name
user                       -                           lower-cased username
=========================  ==========================  =========================
"""

from . import (  # noqa: F401
    accounts,
    activities,
    automations,
    brandings,
    campaigns,
    catalogue,
    contact_listing,
    contact_subresources,
    contactdeals,
    contacts,
    customfielddata,
    customfieldmeta,
    customfields,
    customobjects,
    deal_subresources,
    deallisting,
    dealrecords,
    deals,
    dealstages,
    ecommerce,
    fieldoptions,
    fields,
    fieldvalues,
    groups,
    import_worker,
    imports,
    lists,
    listupdates,
    notes,
    pipelines,
    tags,
    tasklist,
    taskoutcomes,
    tasks,
    tasktypes,
    tracking,
    users,
    webhooks,
)
