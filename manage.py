#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    from renda.settings import module_for_environment

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", module_for_environment())
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
