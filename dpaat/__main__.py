__all__ = []

# %% ../nbs/09_cli.ipynb #cmm2
if __name__ == '__main__' and __package__ == 'dpaat':  # `python -m dpaat`, not this notebook's kernel
    import sys
    from dpaat.cli import main
    sys.exit(main())

# %% ../nbs/09_cli.ipynb #cmm2
if __name__ == '__main__' and __package__ == 'dpaat':  # `python -m dpaat`, not this notebook's kernel
    import sys
    from dpaat.cli import main
    sys.exit(main())

# %% ../nbs/09_cli.ipynb #cmm2
if __name__ == '__main__' and __package__ == 'dpaat':  # `python -m dpaat`, not this notebook's kernel
    import sys
    from dpaat.cli import main
    sys.exit(main())