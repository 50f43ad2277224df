"""Which folders the package is built from. Everything else about the project is in pyproject.toml.

The templates, static files and pathway content are top-level folders of the project; an installed
portal carries them inside its package, as portal/templates, portal/static and portal/pathways,
where portal.config.data_folder finds them. Every folder is listed here, made from the tree, so that
a new module folder or pathway is packaged without anyone listing it."""
from setuptools import find_namespace_packages, setup

DATA = {"portal.templates": "templates", "portal.static": "static", "portal.pathways": "content"}
NOT_SOURCE = ["*.__pycache__"]


def packages_in(package: str, folder: str) -> list[str]:
    return [package] + [f"{package}.{sub}" for sub in find_namespace_packages(where=folder, exclude=NOT_SOURCE)]


setup(
    packages=find_namespace_packages(include=["portal", "portal.*"], exclude=NOT_SOURCE)
    + [name for package, folder in DATA.items() for name in packages_in(package, folder)],
    package_dir=DATA,
    # Every file of every folder: templates, texts, message catalogs, migration scripts.
    package_data={"": ["*"]},
)
