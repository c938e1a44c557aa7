# Generated from VERSION by scripts/version.sh: do not edit; change VERSION and run the script.
__version__ = "0.1.0"
