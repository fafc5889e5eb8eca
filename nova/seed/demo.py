"""What `nova seed tenant` builds: the demo business, its menu and its people (plain data)."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_BUSINESS = "Nova Demo Café"
DEMO_OWNER_NAME = "Olivia Owner"
DEMO_OWNER_EMAIL = "owner@demo-cafe.example"
DEMO_OWNER_PASSWORD = "flat-white-2026"
DEMO_SUPERADMIN_EMAIL = "ops@demo-cafe.example"
DEMO_SUPERADMIN_PASSWORD = "night-shift-2026"
COUNTRY, CURRENCY, TIMEZONE = "DE", "EUR", "Europe/Berlin"
ADDRESS_LINES = ("Marktplatz 1", "10115 Berlin")
TILL_NAME = "Till 1"
OPENING_FLOAT = "100.00"


@dataclass(frozen=True)
class Person:
    """A till user: signs in with `code` + `pin`, holds the tenant's role `role`."""

    name: str
    code: str
    pin: str
    role: str


MANAGER = Person("Max Manager", "1", "1357", "manager")
CASHIER = Person("Cara Cashier", "2", "2468", "cashier")
STAFF = (MANAGER, CASHIER)

CATEGORIES = ("Coffee", "Bakery")

MILK = "Milk"
# (name, price delta) of the one modifier group; a coffee takes at most one milk.
MILK_CHOICES = (("Oat", "0.50"), ("Soy", "0.40"))


@dataclass(frozen=True)
class MenuItem:
    sku: str
    name: str
    price: str
    tax_class: str  # codes of the DE preset: STD 19 %, REDUCED 7 %
    category: str
    barcode: str
    milk: bool = False
    track_stock: bool = False


MENU = (
    MenuItem("ESP", "Espresso", "2.20", "STD", "Coffee", "4006381000017"),
    MenuItem("CAP", "Cappuccino", "3.20", "STD", "Coffee", "4006381000024", milk=True),
    MenuItem("LAT", "Café Latte", "3.40", "STD", "Coffee", "4006381333931", milk=True),
    MenuItem("CRO", "Croissant", "1.90", "REDUCED", "Bakery", "4012345000011", track_stock=True),
    MenuItem("BRE", "Brötchen", "0.60", "REDUCED", "Bakery", "4012345000028", track_stock=True),
)

# Opening stock of the tracked items, received on the till by the manager (sku, quantity).
OPENING_STOCK = (("CRO", 24), ("BRE", 40))

# The seed's one sale: a cappuccino with oat milk and a croissant, paid in cash.
SALE = (("CAP", "Oat"), ("CRO", None))
SALE_CASH = "10.00"
