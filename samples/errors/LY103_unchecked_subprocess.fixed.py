# sample-select: LY1, F
# Subprocess results that nobody checks.
import os
import subprocess
import subprocess as sp
from subprocess import run


def build():
    subprocess.run(["make", "all"], check=True)  # expect: LY103


def build_aliased(target):
    sp.run(["make", target], cwd="/tmp", check=True)  # expect: LY103


def build_imported_name():
    # ビルドする 🔨
    run(  # expect: LY103
        ["make", "install"],
        env={"LANG": "C"}, check=True,  # trailing comma stays valid after the fix
    )


def version():
    proc = subprocess.run(["git", "--version"], capture_output=True, text=True, check=True)  # expect: LY103
    return proc.stdout.strip()


def status_output():
    return subprocess.run(["git", "status"], capture_output=True, text=True, check=True).stdout  # expect: LY103


def legacy():
    subprocess.call(["make"])  # expect: LY103


def clean():
    os.system("rm -rf build")  # expect: LY103


def never_read():
    result = subprocess.call("make", shell=False)  # expect: LY103, F841
    print("done")


# Safe look-alikes below.


def checked():
    subprocess.run(["make"], check=True)


def checked_by_code():
    proc = subprocess.run(["make"])
    if proc.returncode != 0:
        raise SystemExit(proc.returncode)


def checked_later():
    proc = subprocess.run(["make"], capture_output=True)
    proc.check_returncode()
    return proc.stdout


def returned():
    return subprocess.run(["make"])


def passed_on(report):
    report(subprocess.run(["make"]))


def code_compared():
    return subprocess.call(["make"]) == 0


def system_compared():
    return os.system("make") == 0


def explicit_opt_out():
    # The author said so: the outcome does not matter here.
    subprocess.run(["notify-send", "done"], check=False)


def forwarded(**options):
    subprocess.run(["make"], **options)


def reads_errors():
    proc = subprocess.run(["make"], capture_output=True, text=True)
    return proc.stderr
