"""Test data with keyword overrides."""

from app.models import Role
from app.services import accounts

VALID_IDS = ["360426199101010071", "120103198806018241", "34052419800101001X"]


def make_id(birth: str, prefix: str = "350405", seq: str = "123") -> str:
    """A valid 18-digit ID number for a birth date YYYYMMDD (check character computed)."""
    body = prefix + birth + seq
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def registration(**overrides) -> dict:
    data = {
        "name": "张三",
        "id_number": make_id("19800101"),
        "phone": "13812345678",
        "trades": ["mason", "porter"],
        "expected_wage": "200",
        "availability": ["any"],
        "consent": "1",
    }
    data.update(overrides)
    return data


def staff_user(username="xiaoli", role=Role.STAFF, password="correct-horse-1"):
    return accounts.create_user(username, password, role, display_name="小李")


def login(client, username="xiaoli", password="correct-horse-1"):
    from tests.conftest import csrf_from

    page = client.get("/staff/login")
    token = csrf_from(page.get_data(as_text=True))
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "csrf_token": token})


def checkin(**overrides) -> dict:
    from datetime import date, timedelta

    data = {
        "employer_type": "individual",
        "employer_name": "",
        "uscc": "",
        "contact_name": "王老板",
        "phone": "13905980001",
        "service": "hire",
        "trade": "porter",
        "headcount": "3",
        "pay": "200",
        "pay_unit": "day",
        "work_date": (date.today() + timedelta(days=1)).isoformat(),
        "location": "凤岗街道水南村",
        "description": "包吃，日结",
    }
    data.update(overrides)
    return data


VALID_USCC = "91110000600037341L"
