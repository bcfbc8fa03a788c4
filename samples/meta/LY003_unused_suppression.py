# Suppressions that suppress nothing.


def total(values):
    return sum(values)  # leery: ignore[LY101] -- left over from an old handler  # expect: LY003


def name(user):
    return user.name  # leery: ignore[LY999] -- not a rule  # expect: LY003


def area(w, h):
    return w * h  # a comment that merely mentions leery: ignore is not a directive
