"""Python used by copier.yml (tasks, migrations, Jinja extensions); nothing is needed yet."""
