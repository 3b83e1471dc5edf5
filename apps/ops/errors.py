"""The error codes of backup and restore (the shared ones are `common.errors.CommonCode`)."""

from apps.common.errors import Codes


class ErrorCode(Codes):
    BACKUP_INVALID = "backup_invalid", "The backup archive is not one Renda wrote, or is damaged."
    BACKUP_MISSING = "backup_missing", "No backup file at that path."
    BACKUP_EXISTS = "backup_exists", "A backup of the same name exists already; try again shortly."
    BACKUP_DATABASE = "backup_database", "The database could not be dumped or loaded (or is not supported)."
    CHECKSUM_MISMATCH = "checksum_mismatch", "A file of the archive does not match its checksum."
    RESTORE_REFUSED = "restore_refused", "The restore was refused (the message says why)."
    DATABASE_NOT_EMPTY = "database_not_empty", "Restore only into an empty database."
    MEDIA_NOT_EMPTY = "media_not_empty", "Restore only into an empty upload directory."
    VENDOR_MISMATCH = "vendor_mismatch", "The backup comes from another kind of database."
