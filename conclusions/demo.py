"""Demo data of the conclusions app (filled in below)."""


def seed() -> None:
    return None
