import datetime

import factory

from apps.people.models import Deputy, DeputyLevel, Household, Mandate


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    name = factory.Iterator(["张三", "李四", "王五", "赵六", "陈静", "刘洋", "周敏", "吴刚"])
    gender = "M"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    top_level = DeputyLevel.TOWN
    id_number = "110101199003074514"
    address = "月河村三组"


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    level = DeputyLevel.TOWN
    term = 18
    term_start = datetime.date(2021, 10, 1)
    term_end = datetime.date(2026, 12, 31)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    head_name = factory.Sequence(lambda n: f"户主{n}")
    address = "一组"
