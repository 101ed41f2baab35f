"""The files of a new domain, in the sample's pattern (projects/): their paths and text."""

from __future__ import annotations

from .api import serializers_py, urls_py, views_py
from .logic import policies_py, selectors_py, services_py
from .model import access_migration, apps_py, models_py, permissions_py
from .spec import PACKAGE, Spec
from .tests import tests_py


def files(spec: Spec) -> dict[str, str]:
    """Every file of the domain, by path relative to the project root."""
    app = f"src/{PACKAGE}/{spec.name}"
    return {
        f"{app}/__init__.py": "",
        f"{app}/apps.py": apps_py(spec),
        f"{app}/models.py": models_py(spec),
        f"{app}/migrations/__init__.py": "",
        f"{app}/migrations/0002_access.py": access_migration(spec),
        f"{app}/permissions.py": permissions_py(spec),
        f"{app}/policies.py": policies_py(spec),
        f"{app}/selectors.py": selectors_py(spec),
        f"{app}/services.py": services_py(spec),
        f"{app}/serializers.py": serializers_py(spec),
        f"{app}/views.py": views_py(spec),
        f"{app}/urls.py": urls_py(spec),
        f"tests/test_{spec.name}_api.py": tests_py(spec),
    }
