"""The catalog: exercises, conditions, red flags and protocols, read from TOML files and validated."""

from ._load import Catalog, bundled_catalog_dir, load_catalog, load_catalog_folders

__all__ = ["Catalog", "bundled_catalog_dir", "load_catalog", "load_catalog_folders"]
