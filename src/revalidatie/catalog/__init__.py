"""The catalog: exercises, conditions, red flags and protocols, read from TOML files and validated."""

from ._load import Catalog, FolderContent, bundled_catalog_dir, load_catalog, load_catalog_folders, read_folder

__all__ = ["Catalog", "FolderContent", "bundled_catalog_dir", "load_catalog", "load_catalog_folders", "read_folder"]
