# sample-select: LY4, F
names = []
names.push("ada")  # expect: LY406
title = "Dr. Ada"
if title.contains("Dr") and names.length > 0:  # expect: LY406, LY406
    print(title.toUpperCase())  # expect: LY406
counts = {}
if counts.containsKey("ada"):  # expect: LY406
    counts.put("ada", 1)  # expect: LY406
# Ünïcödé 名前 before a finding
label = f"{title}!"
print(label.trim(), "  x ".trim(), names.frobnicate)  # expect: LY406, LY406, LY406


def size_of(items: list[str]) -> int:
    return items.size()  # expect: LY406


def sized(items: list[str]):
    return items.custom_method  # an annotation may hide a subclass: only known idioms are reported


# Safe look-alikes
class Stack:
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)


stack = Stack()
stack.push(1)
mixed = []
mixed = Stack()
mixed.push(2)
for name in names:
    print(name.length)
print(title.upper(), "abc".startswith("a"), len(names))


def rebinds(values):
    values = list(values)
    return values.copy()
