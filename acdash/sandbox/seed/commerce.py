"""Demo e-commerce data: one store connection with customers, their orders and products."""

from ..engine import new_data
from ..resources.ecommerce import CONNECTIONS, CUSTOMERS, ORDERS, PRODUCTS
from .context import Person, Seeding

PRODUCTS_SOLD = [
    ("Pogo Stick", "Toys", 4900),
    ("Skateboard", "Toys", 3000),
    ("Desk Lamp", "Home", 2500),
    ("Notebook set", "Office", 1200),
    ("Headphones", "Electronics", 8900),
]


def add_commerce(seeding: Seeding, people: list[Person]) -> None:
    rng, clock, account = seeding.rng, seeding.clock, seeding.account
    store = f"shop.{seeding.domain}"
    connection = new_data(
        account,
        CONNECTIONS,
        clock.days_ago(500, 400),
        service="fooCommerce",
        externalid=store,
        name=f"{account.name} shop",
        logoUrl=f"https://{store}/logo.png",
        linkUrl=f"https://{store}/",
    )
    cid = str(seeding.w.add("connection", connection))
    buyers = people[: max(5, min(25, len(people) // 10))]
    for number, person in enumerate(buyers, start=1):
        email = f"{person.first}.{person.last}{number}@example.net".lower()
        joined = clock.days_ago(300, 30)
        orders = rng.randint(1, 3)
        revenue = 0
        customer_id = seeding.w.peek("ecomCustomer")
        for order_number in range(orders):
            placed = clock.between(joined, clock.days_ago(1))
            lines = rng.sample(PRODUCTS_SOLD, rng.randint(1, 3))
            total = sum(price for _, _, price in lines)
            revenue += total
            order_id = seeding.w.peek("ecomOrder")
            product_ids = []
            for name, category, price in lines:
                sku = name.upper().replace(" ", "-")[:10]
                product = new_data(
                    account,
                    PRODUCTS,
                    placed,
                    orderid=str(order_id),
                    connectionid=cid,
                    externalid=f"PROD-{sku}",
                    sku=sku,
                    name=name,
                    description=f"{name} from the {category.lower()} range",
                    price=str(price),
                    quantity="1",
                    category=category,
                    imageUrl=f"https://{store}/images/{sku.lower()}.jpg",
                    productUrl=f"https://{store}/products/{sku.lower()}",
                )
                product_ids.append(str(seeding.w.add("ecomOrderProduct", product)))
            stamp = clock.iso(placed)
            order = new_data(
                account,
                ORDERS,
                placed,
                customerid=str(customer_id),
                connectionid=cid,
                externalid=f"{number:04d}{order_number}",
                orderNumber=f"{number:04d}-{order_number + 1}",
                email=email,
                totalPrice=str(total),
                discountAmount="0",
                shippingAmount="0",
                taxAmount="0",
                totalProducts=str(len(lines)),
                currency="usd",
                orderUrl=f"https://{store}/orders/{number:04d}{order_number}",
                externalCreatedDate=stamp,
                externalUpdatedDate=stamp,
                orderDate=stamp,
                orderProducts=product_ids,
                orderDiscounts=[],
            )
            assert seeding.w.add("ecomOrder", order) == order_id
        customer = new_data(
            account,
            CUSTOMERS,
            joined,
            connectionid=cid,
            externalid=f"CUST-{number:04d}",
            email=email,
            totalRevenue=str(revenue),
            totalOrders=str(orders),
            avgRevenuePerOrder=str(revenue // orders),
            acceptsMarketing=rng.choice(["0", "1"]),
        )
        assert seeding.w.add("ecomCustomer", customer) == customer_id
