"""PostgreSQL as the shared log: several convive processes serving the same debates.

``store`` holds the log (one transaction per command, the debate's seq taken
under a row lock, ``pg_notify`` on commit); ``follower`` listens and wakes the
process to read what the others wrote.
"""
