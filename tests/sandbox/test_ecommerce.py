"""E-commerce in the sandbox: connections, customers, orders, and an order's products through
its sub-resources."""

import copy

from tests.conformance.shapes import assert_conforms, checked, operations


def test_connection_customer_and_order_round_trips(sandbox):
    connection = sandbox.ok("POST", "/connections", example_request("POST", "/connections"))
    assert_conforms(connection, "POST", "/connections", 200)
    cid = connection["connection"]["id"]
    assert_conforms(sandbox.ok("GET", "/connections"), "GET", "/connections", 200)
    renamed = sandbox.ok("PUT", f"/connections/{cid}", {"connection": {"name": "Acme, Inc."}})
    assert_conforms(renamed, "PUT", "/connections/{id}", 200)
    assert_conforms(sandbox.ok("GET", f"/connections/{cid}"), "GET", "/connections/{id}", 200)

    customer = {
        "ecomCustomer": {"connectionid": cid, "externalid": "56789", "email": "alice@example.com"}
    }
    created = sandbox.ok("POST", "/ecomCustomers", customer, status=201)
    assert_conforms(created, "POST", "/ecomCustomers", 201)
    customer_id = created["ecomCustomer"]["id"]
    assert created["ecomCustomer"]["connection"] == cid
    updated = sandbox.ok(
        "PUT", f"/ecomCustomers/{customer_id}", {"ecomCustomer": {"externalid": "98765"}}
    )
    assert_conforms(updated, "PUT", "/ecomCustomers/{id}", 200)
    read = sandbox.ok("GET", f"/ecomCustomers/{customer_id}")
    assert_conforms(read, "GET", "/ecomCustomers/{id}", 200)
    assert read["ecomCustomer"]["externalid"] == "98765"
    found = sandbox.ok("GET", "/ecomCustomers?filters[email]=alice@example.com")
    assert_conforms(found, "GET", "/ecomCustomers", 200)
    assert [c["id"] for c in found["ecomCustomers"]] == [customer_id]

    order = example_request("POST", "/ecomOrders")
    order["ecomOrder"].update(connectionid=cid, customerid=customer_id)
    placed = sandbox.ok("POST", "/ecomOrders", order, status=201)
    assert_conforms(placed, "POST", "/ecomOrders", 201)
    oid = placed["ecomOrder"]["id"]
    assert [p["name"] for p in placed["ecomOrderProducts"]] == ["Pogo Stick", "Skateboard"]
    assert placed["ecomOrder"]["totalProducts"] == 2

    products = sandbox.ok("GET", f"/ecomOrders/{oid}/orderProducts")
    assert_conforms(products, "GET", "/ecomOrders/{id}/orderProducts", 200)
    assert [p["ecomOrder"] for p in products["ecomOrderProducts"]] == [oid, oid]
    product = sandbox.ok("GET", f"/ecomOrderProducts/{products['ecomOrderProducts'][1]['id']}")
    assert_conforms(product, "GET", "/ecomOrderProducts/{id}", 200)
    assert product["ecomOrderProduct"]["sku"] == "SK8BOARD145"
    assert_conforms(sandbox.ok("GET", "/ecomOrderProducts"), "GET", "/ecomOrderProducts", 200)

    change = example_request("PUT", "/ecomOrders/{id}")
    change["ecomOrder"]["orderProducts"] = change["ecomOrder"]["orderProducts"][:1]
    changed = sandbox.ok("PUT", f"/ecomOrders/{oid}", change)
    assert_conforms(changed, "PUT", "/ecomOrders/{id}", 200)
    assert [p["name"] for p in changed["ecomOrderProducts"]] == ["Pogo Stick"]
    detail = sandbox.ok("GET", f"/ecomOrders/{oid}")
    assert_conforms(detail, "GET", "/ecomOrders/{ecomOrderId}", 200)
    assert detail["ecomOrder"]["orderNumber"] == "12345-1"
    listed = sandbox.ok("GET", f"/ecomOrders?filters[customerid]={customer_id}")
    checked("GET", "/ecomOrders", 200)  # the reference's list example is not valid JSON
    assert [o["id"] for o in listed["ecomOrders"]] == [oid] and listed["meta"]["total"] == "1"
    assert set(listed["ecomOrders"][0]) >= {
        "externalid",
        "email",
        "totalPrice",
        "customer",
        "links",
    }

    assert sandbox.ok("DELETE", f"/ecomOrders/{oid}") == {}
    checked("DELETE", "/ecomOrders/{ecomOrderId}", 200)
    assert sandbox.ok("GET", "/ecomOrderProducts")["ecomOrderProducts"] == []
    assert sandbox.ok("DELETE", f"/ecomCustomers/{customer_id}") == {}
    checked("DELETE", "/ecomCustomers/{id}", 200)
    assert sandbox.get(f"/ecomCustomers/{customer_id}").status_code == 404
    assert sandbox.ok("DELETE", f"/connections/{cid}") == {}
    checked("DELETE", "/connections/{id}", 200)


def test_orders_of_unknown_customers_or_without_products_are_refused(sandbox):
    order = example_request("POST", "/ecomOrders")
    response = sandbox.post("/ecomOrders", order)  # connection 1 and customer 1 do not exist
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/connectionid"
    assert sandbox.ok("GET", "/ecomOrderProducts")["ecomOrderProducts"] == []


def example_request(method: str, path: str) -> dict:
    """The reference's (first) request example for the operation, a fresh copy."""
    return copy.deepcopy(next(iter(operations()[(method, path)]["requests"].values())))


def test_seeded_store_has_customers_and_orders(seeded):
    connections = seeded.ok("GET", "/connections")["connections"]
    assert len(connections) == 1
    customers = seeded.ok("GET", "/ecomCustomers?limit=100")["ecomCustomers"]
    orders = seeded.ok("GET", "/ecomOrders?limit=100")["ecomOrders"]
    assert len(customers) >= 5 and len(orders) >= len(customers)
    assert {o["customerid"] for o in orders} <= {c["id"] for c in customers}
    first = orders[0]
    products = seeded.ok("GET", f"/ecomOrders/{first['id']}/orderProducts")["ecomOrderProducts"]
    assert len(products) == int(first["totalProducts"]) >= 1
