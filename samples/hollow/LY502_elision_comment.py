# sample-select: LY5, F
class Cart:
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)

    # ... existing code ...  # expect: LY502

    # ... rest of the methods unchanged ...  # expect: LY502


def checkout(cart):
    # rest of the implementation  # expect: LY502
    return cart


def export(cart):
    # Your code here  # expect: LY502
    return None


def ship(cart):
    # TODO: implement  # expect: LY502
    return cart


def pay(cart):
    # Ünïcödé 名前 comment before a finding
    # code omitted for brevity  # expect: LY502
    return cart.items


def audit(cart):
    # ...  # expect: LY502
    return cart


# Safe look-alikes: ordinary comments that mention code or ellipses.
def restock(cart):
    # TODO: implement retries with backoff once the API supports it
    # Keep the existing order of items: callers rely on it.
    # the rest of the list is sorted by price
    # ... and then the loop below handles the remaining items
    total = 0  # sum of prices...
    text = "# ... existing code ..."
    return total, text
