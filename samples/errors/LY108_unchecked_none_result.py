# sample-select: LY1, F
# A result that may be None, used at once.
import os
import re
import shutil
import subprocess

VERSION = re.compile(r"(\d+)\.(\d+)")


def major(text):
    return re.match(r"(\d+)", text).group(1)  # expect: LY108


def minor(text):
    return VERSION.search(text)[2]  # expect: LY108


def local_pattern(text):
    pattern = re.compile(r"\w+")
    return pattern.fullmatch(text).span()  # expect: LY108


def owner(config):
    # 設定から読む 👤
    return config.get("owner").name  # expect: LY108


def first_tag(config):
    return config.get("tags")[0]  # expect: LY108


def shell():
    return os.environ.get("SHELL").lower()  # expect: LY108


def home():
    return os.getenv("HOME").rstrip("/")  # expect: LY108


def git_status():
    return subprocess.run([shutil.which("git"), "status"], check=True)  # expect: LY108


def git_path():
    return os.path.realpath(shutil.which("git"))  # expect: LY108


# Safe look-alikes below.


def with_default(config):
    return config.get("owner", {}).get("name", "")


def checked(text):
    match = re.match(r"(\d+)", text)
    if match is None:
        return None
    return match.group(1)


def walrus(text):
    if (match := VERSION.search(text)) is not None:
        return match.group(1)
    return None


def guarded(text):
    try:
        return re.match(r"(\d+)", text).group(1)
    except AttributeError:
        return None


def env_default():
    return os.environ.get("SHELL", "/bin/sh").lower()


def which_checked():
    git = shutil.which("git")
    return git is not None and bool(shutil.which("git"))


def findall(text):
    return re.findall(r"\d+", text)[0]


def sub(text):
    return re.sub(r"\s+", " ", text).strip()


URI = re.compile(r"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?")


def always_matches(text):
    # Both patterns match any string (every part is optional), so they never return None.
    return re.search(r"\w+$|$", text).group(0), URI.match(text).groups()


def guarded_by_the_same_call(data):
    # Tested first, used second: the None case is handled.
    name = data.get("user") and data.get("user").name
    title = data.get("title").strip() if data.get("title") else ""
    if os.environ.get("HOME"):
        return os.environ.get("HOME").rstrip("/"), name, title
    else:
        return os.environ.get("HOME").rstrip("/"), name, title  # expect: LY108


def names_in(lines):
    # Safe look-alike: the comprehension's own condition checks the match first.
    return [re.match(r"\w+", line).group(0) for line in lines if re.match(r"\w+", line)]
