/* utils/fs.h: small file-system steps shared by every module that writes files
 * durably (snapshot/, aof/, src/config.c, src/persist.c).
 *
 * The durable recipe is: write a temp file, fsync it, rename it over the target,
 * then fsync the directory, because a rename is only on disk once its directory
 * is. fs_sync_dir is that last step. No allocation, no logging.
 */
#ifndef CAIRN_FS_H
#define CAIRN_FS_H

/* fsync()s the directory dir. 0, or -1 with errno set (by open or fsync, not by
 * the close that follows). */
int fs_sync_dir(const char *dir);

#endif
