# sample-select: LY2
"""Django views that build SQL from request data, and the parameterized forms."""
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import JsonResponse

from shop.models import Product


def search(request):
    term = request.GET.get("q", "")
    # Ünïcödé 🙂
    products = Product.objects.raw("SELECT * FROM shop_product WHERE name = %s", [term])  # expect: LY201
    return JsonResponse({"ids": [p.id for p in products]})


def by_category(request):
    category = request.POST["category"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM shop_product WHERE category = %s", (category,))  # expect: LY201
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})


def ranked(request):
    weight = request.GET["weight"]
    qs = Product.objects.annotate(score=RawSQL("price * " + weight, ()))  # expect: LY201
    return JsonResponse({"n": qs.count()})


# --- safe look-alikes -------------------------------------------------------------------------


def search_safely(request):
    products = Product.objects.raw("SELECT * FROM shop_product WHERE name = %s", [request.GET.get("q", "")])
    return JsonResponse({"ids": [p.id for p in products]})


def by_category_safely(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM shop_product WHERE category = %s", [request.POST["category"]])
        return JsonResponse({"rows": cursor.fetchall()})


def filtered(request):
    return JsonResponse({"n": Product.objects.filter(name=request.GET["q"]).count()})
