using System.Diagnostics;
using Tiered.NativeCache.Unix;

namespace Tiered.NativeCache;

/// <summary>
/// An advisory lock on <c>&lt;module&gt;.lock</c>, held while a module file is merged and
/// replaced. .NET opens a file with <see cref="FileShare.None"/> under flock(LOCK_EX|LOCK_NB),
/// which excludes other processes and, because every open is its own open file description,
/// other FileStreams of this process too.
/// <para>
/// A lock file may be deleted by whoever holds it (eviction, clear). A waiter that then wins
/// the flock on the deleted inode would share the lock with a newcomer that created a fresh
/// file, so after locking we check that the path still names the inode we locked, and start
/// over if not.
/// </para>
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream stream;

    private FileLock(FileStream stream, string path)
    {
        this.stream = stream;
        LockPath = path;
    }

    public string LockPath { get; }

    /// <summary>Takes the lock, retrying until <paramref name="timeout"/>; null with the last failure if it could not.</summary>
    public static FileLock? TryAcquire(string path, TimeSpan timeout, out string failure)
    {
        var clock = Stopwatch.StartNew();
        int delayMs = 1;
        failure = "";
        while (true)
        {
            try
            {
                var stream = new FileStream(path, CacheDirectory.PrivateFileOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite));
                if (StillNamesOpenFile(stream, path))
                    return new FileLock(stream, path);
                stream.Dispose();
                failure = "the lock file was replaced while waiting";
            }
            catch (DirectoryNotFoundException e)
            {
                // The cache directory was deleted: waiting will not bring it back.
                failure = e.Message;
                return null;
            }
            catch (IOException e)
            {
                // Held by another saver (EWOULDBLOCK).
                failure = e.Message;
            }
            catch (UnauthorizedAccessException e)
            {
                failure = e.Message;
                return null;
            }
            if (clock.Elapsed >= timeout)
                return null;
            // Jitter keeps several waiters from retrying in lock step.
            Thread.Sleep(delayMs + Random.Shared.Next(delayMs + 1));
            delayMs = Math.Min(delayMs * 2, 20);
        }
    }

    private static bool StillNamesOpenFile(FileStream stream, string path)
        => FileStatus.TryGet(stream.SafeFileHandle, out FileStatus open, out _)
        && FileStatus.TryGet(path, followLinks: false, out FileStatus named, out _)
        && open.Device == named.Device && open.Inode == named.Inode;

    /// <summary>Deletes the lock file, then releases it (see the class comment).</summary>
    public void DeleteAndRelease()
    {
        try
        {
            File.Delete(LockPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A lock file left behind is harmless; it is empty.
        }
        stream.Dispose();
    }

    public void Dispose() => stream.Dispose();
}
