import factory

from apps.places.models import HandlingUnit, Region, RegionLevel, Station, StationLevel


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    level = RegionLevel.COUNTY
    code = factory.Sequence(lambda n: f"61{n:04d}")
    name = factory.Sequence(lambda n: f"测试县{n}")


def county(code="610921", name="汉阴县"):
    return RegionFactory(code=code, name=name, level=RegionLevel.COUNTY)


def town(parent, code, name):
    return RegionFactory(code=code, name=name, level=RegionLevel.TOWN, parent=parent)


def village(parent, code, name):
    return RegionFactory(code=code, name=name, level=RegionLevel.VILLAGE, parent=parent)


def grid(parent, code, name, grid_level=1):
    return RegionFactory(code=code, name=name, level=RegionLevel.GRID, grid_level=grid_level, parent=parent)


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"代表联络站{n}")
    level = StationLevel.TOWN
    address = "人民路1号"
    opening_schedule = "每月第一个星期二"


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"办公室{n}")
    level = "town"
