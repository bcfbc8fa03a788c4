# sample-select: LY4, F
import jedi
# Ünïcödé 名前 before a finding
from flask_superauth import login_required  # expect: LY403
import reqeusts  # expect: LY403
import totally_invented_module  # expect: LY401

print(jedi, login_required, reqeusts, totally_invented_module)
