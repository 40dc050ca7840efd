"""E-commerce: connections, customers, orders and their products and discounts."""

from typing import Any

from .. import engine, store
from ..engine import Family, serve, sublist
from ..models import SandboxRecord
from ..routing import Ctx, invalid

CONNECTIONS = serve(
    Family(
        kind="connection",
        singular="connection",
        plural="connections",
        entity="Connection",
        ops={
            "create": "/connections",
            "list": "/connections",
            "read": "/connections/{id}",
            "update": "/connections/{id}",
            "delete": "/connections/{id}",
        },
        required=("service", "externalid", "name"),
        filters={"filters[service]": "service", "filters[externalid]": "externalid"},
        defaults={"status": "1", "syncStatus": "0", "lastSync": None},
        views={"order": "POST /ecomOrders"},
    )
)


def _owned(ctx: Ctx, changes: dict[str, Any], names: dict[str, Family]) -> None:
    """The records the request names (``connectionid``, ``customerid``) must exist."""
    for attribute, family in names.items():
        if attribute in changes and engine.find(ctx, family, changes[attribute]) is None:
            raise invalid(
                f"No {family.entity} with id {changes[attribute]!s:.40} exists.", attribute
            )


def _check_customer(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    _owned(ctx, changes, {"connectionid": CONNECTIONS})
    return changes


CUSTOMERS = serve(
    Family(
        kind="ecomCustomer",
        singular="ecomCustomer",
        plural="ecomCustomers",
        entity="EcomCustomer",
        ops={
            "create": "/ecomCustomers",
            "list": "/ecomCustomers",
            "read": "/ecomCustomers/{id}",
            "update": "/ecomCustomers/{id}",
            "delete": "/ecomCustomers/{id}",
        },
        required=("connectionid", "externalid", "email"),
        filters={
            "filters[email]": "email",
            "filters[externalid]": "externalid",
            "filters[connectionid]": "connectionid",
        },
        mirrors={"connection": "connectionid"},
        defaults={
            **dict.fromkeys(("totalRevenue", "totalOrders", "totalProducts"), "0"),
            "avgRevenuePerOrder": "0",
            "avgProductCategory": "",
            "acceptsMarketing": "0",
        },
        validate=_check_customer,
    )
)
PRODUCTS = Family(
    kind="ecomOrderProduct",
    singular="ecomOrderProduct",
    plural="ecomOrderProducts",
    entity="EcomOrderProduct",
    ops={"list": "/ecomOrderProducts", "read": "/ecomOrderProducts/{id}"},
    mirrors={"ecomOrder": "orderid"},
    views={"order": "POST /ecomOrders", "orderUpdate": "PUT /ecomOrders/{id}"},
)
DISCOUNTS = Family(
    kind="ecomOrderDiscount",
    singular="ecomOrderDiscount",
    plural="ecomOrderDiscounts",
    entity="EcomOrderDiscount",
    ops={},
    views={"order": "POST /ecomOrders"},
)
ORDER_FILTERS = ("connectionid", "externalid", "externalcheckoutid", "email", "state", "customerid")


def _lines(value: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid(f"{name} must be a list of objects.", name)
    return value


def _check_order(ctx: Ctx, changes: dict[str, Any], record) -> dict[str, Any]:
    _owned(ctx, changes, {"connectionid": CONNECTIONS, "customerid": CUSTOMERS})
    return changes


def _write_lines(ctx: Ctx, verb: str, order: SandboxRecord, attrs: dict[str, Any]) -> None:
    """An order's products and discounts are records of their own (``orderid``); a write
    that names them replaces them. Deleting the order deletes them."""
    mine = {"data__orderid": order.id_str}
    if verb == "create" and not attrs.get("orderProducts"):
        raise invalid("An order needs at least one product.", "orderProducts")
    if verb == "delete" or "orderProducts" in attrs:
        for kind in (PRODUCTS.kind, DISCOUNTS.kind):
            store.records(ctx.account, kind).filter(**mine).delete()
    if verb == "delete" or "orderProducts" not in attrs:
        return
    common = {"orderid": order.id_str, "connectionid": order.data.get("connectionid")}
    products = _lines(attrs["orderProducts"], "orderProducts")
    discounts = _lines(attrs.get("orderDiscounts") or [], "orderDiscounts")
    ids = [engine.create(ctx, PRODUCTS, p, **common).id_str for p in products]
    marks = [engine.create(ctx, DISCOUNTS, d, **common).id_str for d in discounts]
    store.update(order, orderProducts=ids, orderDiscounts=marks, totalProducts=len(ids))


def _sideload(ctx: Ctx, order: SandboxRecord, verb: str) -> dict[str, Any]:
    mine = {"data__orderid": order.id_str}
    products = store.records(ctx.account, PRODUCTS.kind).filter(**mine).order_by("rid")
    discounts = store.records(ctx.account, DISCOUNTS.kind).filter(**mine).order_by("rid")
    view = "order" if verb == "create" else "orderUpdate"
    body: dict[str, Any] = {}
    connection = engine.find(ctx, CONNECTIONS, order.data.get("connectionid"))
    if verb == "create":  # as the reference's examples side-load them
        body["connections"] = [engine.present(ctx, CONNECTIONS, connection, "order")]
    body["ecomOrderProducts"] = [engine.present(ctx, PRODUCTS, p, view) for p in products]
    body["ecomOrderDiscounts"] = [engine.present(ctx, DISCOUNTS, d, "order") for d in discounts]
    return body


ORDERS = serve(
    Family(
        kind="ecomOrder",
        singular="ecomOrder",
        plural="ecomOrders",
        entity="EcomOrder",
        ops={
            "create": "/ecomOrders",
            "list": "/ecomOrders",
            "read": "/ecomOrders/{ecomOrderId}",
            "update": "/ecomOrders/{id}",
            "delete": "/ecomOrders/{ecomOrderId}",
        },
        required=("email", "connectionid", "customerid", "currency"),
        filters={f"filters[{name}]": name for name in ORDER_FILTERS},
        orders=(*ORDER_FILTERS, "external_created_date"),
        mirrors={"connection": "connectionid", "customer": "customerid"},
        defaults={
            "orderProducts": [],
            "orderDiscounts": [],
            "state": "1",
            "externalcheckoutid": None,
        },
        validate=_check_order,
        fixed=("orderProducts", "orderDiscounts", "totalProducts"),
        sideload=_sideload,
        after=_write_lines,
    )
)
serve(PRODUCTS)
sublist("/ecomOrders/{id}/orderProducts", ORDERS, PRODUCTS, "orderid")
