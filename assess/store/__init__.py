"""The store wing: all SQL, on one SQLite file.

`connection` opens the file and runs transactions that nest; `migrations` holds the schema; one
module per aggregate holds its small named queries, and its readers return dataclasses:
`organizations` (and profiles), `answers` (assessments and their answers), `people` (accounts,
sessions, memberships, invitations), `workshops`, `actions`.
"""
