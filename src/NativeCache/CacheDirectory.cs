using System.Reflection.Metadata;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Tiered.NativeCache.Unix;

namespace Tiered.NativeCache;

/// <summary>
/// The cache directory on disk: its trust checks, the per-user secret, reading and atomically
/// replacing module files, and eviction. Knows files, not modules' meaning.
/// <code>
///   &lt;dir&gt;/                      mode 0700, owned by the user
///     .secret                    32 random bytes, mode 0600: the HMAC key
///     &lt;sha256(module)&gt;.tcache    one per module (CacheFileFormat), mode 0600
///     &lt;sha256(module)&gt;.lock      empty; flock'ed while that module is merged and replaced
///     &lt;sha256(module)&gt;.&lt;pid&gt;.&lt;random&gt;.tmp   a save in progress (renamed over the .tcache)
/// </code>
/// </summary>
internal sealed class CacheDirectory
{
    public const string SecretFileName = ".secret";
    public const string LockExtension = ".lock";
    public const string TempExtension = ".tmp";

    /// <summary>No module file is read past this size: a bigger one is damage or an attack.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>A temp file this old belongs to a save that died; eviction deletes it.</summary>
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const uint GroupOrOtherWrite = 0b000_010_010;   // 0022
    private const uint GroupOrOtherAny = 0b000_111_111;     // 0077

    private readonly ILogger logger;

    public CacheDirectory(string path, ILogger logger)
    {
        FullPath = path;
        this.logger = logger;
    }

    public string FullPath { get; }

    public string SecretPath => Path.Combine(FullPath, SecretFileName);

    public string ModulePath(string moduleName) => Path.Combine(FullPath, CacheFileFormat.FileNameFor(moduleName));

    public static string LockPathFor(string modulePath) => Path.ChangeExtension(modulePath, LockExtension);

    // ===================================================================== trust

    /// <summary>
    /// Checks the directory (creating it, mode 0700, when <paramref name="create"/>) and loads
    /// the secret (creating it too). On success the directory is ours, private, and the secret
    /// is usable. Without <paramref name="create"/>, an absent directory is reported as such (Exists false).
    /// </summary>
    public DirectoryTrust Check(bool create)
    {
        if (!FileStatus.TryGetEffectiveUserId(out uint euid, out string error))
            return DirectoryTrust.Refused(Reject(CacheRejectionReason.TrustCheckUnavailable, FullPath, error));

        if (!FileStatus.TryGet(FullPath, followLinks: true, out FileStatus status, out error, out bool missing))
        {
            if (!missing)
                return DirectoryTrust.Refused(Reject(CacheRejectionReason.DirectoryUnusable, FullPath, error));
            if (!create)
                return DirectoryTrust.Absent(euid);
            try
            {
                if (OperatingSystem.IsWindows())
                    Directory.CreateDirectory(FullPath);
                else
                    Directory.CreateDirectory(FullPath, PrivateDirectoryMode);
                Log.Created(logger, FullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return DirectoryTrust.Refused(Reject(CacheRejectionReason.DirectoryUnusable, FullPath, e.Message));
            }
            if (!FileStatus.TryGet(FullPath, followLinks: true, out status, out error))
                return DirectoryTrust.Refused(Reject(CacheRejectionReason.DirectoryUnusable, FullPath, error));
        }

        if (!status.IsDirectory)
            return DirectoryTrust.Refused(Reject(CacheRejectionReason.DirectoryUnusable, FullPath, "not a directory"));
        if (status.Uid != euid)
            return DirectoryTrust.Refused(Reject(CacheRejectionReason.DirectoryNotOwned, FullPath, $"owner uid {status.Uid}, this process runs as {euid}"));
        if ((status.Permissions & GroupOrOtherWrite) != 0)
            return DirectoryTrust.Refused(Reject(CacheRejectionReason.DirectoryWritableByOthers, FullPath,
                $"mode {Octal(status.Permissions)}; make it private with chmod 700"));

        CacheRejection? secretProblem = TryLoadSecret(create, euid, out byte[]? secret);
        if (secretProblem is not null)
            return DirectoryTrust.Refused(secretProblem, euid);
        return DirectoryTrust.Trusted(euid, secret);
    }

    private CacheRejection? TryLoadSecret(bool create, uint euid, out byte[]? secret)
    {
        secret = null;
        string path = SecretPath;
        // Two rounds: if another process creates the secret between our look and our
        // create, the second round reads theirs.
        for (int round = 0; round < 2; round++)
        {
            if (!FileStatus.TryGet(path, followLinks: false, out FileStatus status, out string error, out bool missing))
            {
                if (!missing)
                    return Reject(CacheRejectionReason.SecretUnusable, path, error);
                if (!create)
                    return null;   // no secret yet: no file can be valid, every file reads as forged
                if (TryCreateSecret(path, out string? failure))
                    continue;
                if (failure is not null)
                    return Reject(CacheRejectionReason.SecretUnusable, path, failure);
                continue;
            }
            if (!status.IsRegularFile)
                return Reject(CacheRejectionReason.SecretUnusable, path, "not a regular file");
            if (status.Uid != euid)
                return Reject(CacheRejectionReason.SecretUnusable, path, $"owner uid {status.Uid}, this process runs as {euid}");
            if ((status.Permissions & GroupOrOtherAny) != 0)
                return Reject(CacheRejectionReason.SecretUnusable, path, $"mode {Octal(status.Permissions)}, must be 0600");
            try
            {
                byte[] bytes = File.ReadAllBytes(path);
                if (bytes.Length != CacheFileFormat.SecretSize)
                    return Reject(CacheRejectionReason.SecretUnusable, path, $"{bytes.Length} bytes, not {CacheFileFormat.SecretSize}");
                secret = bytes;
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Reject(CacheRejectionReason.SecretUnusable, path, e.Message);
            }
        }
        return Reject(CacheRejectionReason.SecretUnusable, path, "could not be created");
    }

    /// <summary>
    /// Writes a fresh secret to a temp file and links it into place without replacing one
    /// that appeared meanwhile (File.Move without overwrite is link+unlink on Unix), so no
    /// reader ever sees a partly written secret. True when ours was installed; false with a
    /// null failure when another process's won.
    /// </summary>
    private bool TryCreateSecret(string path, out string? failure)
    {
        failure = null;
        string temp = TempPathFor(path);
        try
        {
            WriteFile(temp, RandomNumberGenerator.GetBytes(CacheFileFormat.SecretSize));
            try
            {
                File.Move(temp, path, overwrite: false);
                Log.Created(logger, path);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = e.Message;
            return false;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    // ===================================================================== module files

    /// <summary>
    /// Reads and validates one module file. Never throws: every failure is a rejection.
    /// A file whose header differs comes back with its contents and a HeaderMismatch, so
    /// maintenance can still name its module.
    /// </summary>
    public ModuleFileRead ReadModuleFile(string filePath, uint euid, byte[]? secret, string? expectedModule, CacheHeader header)
    {
        if (!FileStatus.TryGet(filePath, followLinks: false, out FileStatus status, out string error, out bool missing))
            return missing ? ModuleFileRead.Missing : ModuleFileRead.Rejected(Reject(CacheRejectionReason.ReadError, filePath, error));
        CacheRejection? problem = CheckOwnership(filePath, status, euid);
        if (problem is not null)
            return ModuleFileRead.Rejected(problem);
        if (secret is null)
            return ModuleFileRead.Rejected(Reject(CacheRejectionReason.HmacMismatch, filePath, "there is no secret to check it with"));

        byte[] data;
        try
        {
            using var handle = File.OpenHandle(filePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // The file opened may not be the one examined if it was replaced meanwhile: check again.
            if (!FileStatus.TryGet(handle, out status, out error))
                return ModuleFileRead.Rejected(Reject(CacheRejectionReason.ReadError, filePath, error));
            problem = CheckOwnership(filePath, status, euid);
            if (problem is not null)
                return ModuleFileRead.Rejected(problem);
            long length = RandomAccess.GetLength(handle);
            if (length > MaxFileBytes)
                return ModuleFileRead.Rejected(Reject(CacheRejectionReason.TooLarge, filePath, $"{length} bytes, at most {MaxFileBytes} are read"));
            data = new byte[length];
            int total = 0;
            while (total < data.Length)
            {
                int read = RandomAccess.Read(handle, data.AsSpan(total), total);
                if (read == 0)
                    break;
                total += read;
            }
            if (total < data.Length)
                Array.Resize(ref data, total);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ModuleFileRead.Missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ModuleFileRead.Rejected(Reject(CacheRejectionReason.ReadError, filePath, e.Message));
        }

        if (!CacheFileFormat.TryRead(data, secret, out CacheFileContents? contents, out var failure))
            return ModuleFileRead.Rejected(Reject(failure.Reason, filePath, failure.Detail));
        if (expectedModule is not null && contents!.ModuleName != expectedModule)
            return ModuleFileRead.Rejected(Reject(CacheRejectionReason.ModuleMismatch, filePath,
                $"holds '{contents.ModuleName}', expected '{expectedModule}'"));
        string? mismatch = header.DescribeMismatch(contents!.Header);
        if (mismatch is not null)
            return new ModuleFileRead(ModuleFileState.Rejected, contents, Reject(CacheRejectionReason.HeaderMismatch, filePath, mismatch), data.LongLength);
        return new ModuleFileRead(ModuleFileState.Valid, contents, null, data.LongLength);
    }

    private static CacheRejection? CheckOwnership(string filePath, FileStatus status, uint euid)
    {
        if (!status.IsRegularFile)
            return Reject(CacheRejectionReason.NotRegularFile, filePath, status.IsSymbolicLink ? "a symbolic link" : $"file type {status.Mode >> 12:x}");
        if (status.Uid != euid)
            return Reject(CacheRejectionReason.FileNotOwned, filePath, $"owner uid {status.Uid}, this process runs as {euid}");
        if ((status.Permissions & GroupOrOtherWrite) != 0)
            return Reject(CacheRejectionReason.FileWritableByOthers, filePath, $"mode {Octal(status.Permissions)}");
        return null;
    }

    /// <summary>
    /// Replaces <paramref name="filePath"/> with <paramref name="content"/>: written and
    /// flushed to a private temp file in the same directory, then renamed over the old file,
    /// so a reader sees the old file or the new one, never a mixture. The modification time
    /// is set to <paramref name="lastUsed"/>: eviction orders files by it. Throws IOException
    /// or UnauthorizedAccessException; the temp file never survives.
    /// </summary>
    public void ReplaceFile(string filePath, BlobBuilder content, DateTimeOffset lastUsed)
    {
        string temp = TempPathFor(filePath);
        try
        {
            using (FileStream stream = CreatePrivateFile(temp))
            {
                content.WriteContentTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, filePath, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
        Touch(filePath, lastUsed);
    }

    /// <summary>Marks a module file as used now, for eviction. Best effort.</summary>
    public static void Touch(string filePath, DateTimeOffset when)
    {
        try
        {
            File.SetLastWriteTimeUtc(filePath, when.UtcDateTime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            // Evicted or replaced meanwhile: the stamp does not matter then.
        }
    }

    private static string TempPathFor(string path)
        => $"{Path.ChangeExtension(path, null)}.{Environment.ProcessId}.{Random.Shared.NextInt64(1L << 48).ToString("x12")}{TempExtension}";

    private static FileStream CreatePrivateFile(string path)
        => new(path, PrivateFileOptions(FileMode.CreateNew, FileAccess.Write));

    /// <summary>Open options that create files with mode 0600 and lock them exclusively.</summary>
    internal static FileStreamOptions PrivateFileOptions(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = PrivateFileMode;
        return options;
    }

    private static void WriteFile(string path, byte[] bytes)
    {
        using FileStream stream = CreatePrivateFile(path);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    internal static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // ===================================================================== listing and eviction

    /// <summary>The module files present now (a listing of the directory, no reading).</summary>
    public List<FileInfo> ModuleFiles()
    {
        var files = new List<FileInfo>();
        try
        {
            foreach (FileInfo file in new DirectoryInfo(FullPath).EnumerateFiles())
                if (file.Name.EndsWith(CacheFileFormat.Extension, StringComparison.Ordinal))
                    files.Add(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable or vanished directory has no files to offer.
        }
        return files;
    }

    /// <summary>
    /// Deletes least-recently-used module files (by modification time, which opening and
    /// saving set) until the total is at most <paramref name="limitBytes"/>. The file just
    /// saved goes last. A file whose lock is held is being saved, i.e. in use, and is skipped.
    /// Also removes temp files left by saves that died.
    /// </summary>
    public void EnforceSizeLimit(long limitBytes, string? justSaved)
    {
        DeleteStaleTempFiles();
        List<FileInfo> files = ModuleFiles();
        long total = files.Sum(f => f.Length);
        if (total <= limitBytes)
            return;

        IEnumerable<FileInfo> oldestFirst = files
            .OrderBy(f => string.Equals(f.FullName, justSaved, StringComparison.Ordinal))
            .ThenBy(f => f.LastWriteTimeUtc)
            .ThenBy(f => f.Name, StringComparer.Ordinal);
        foreach (FileInfo file in oldestFirst)
        {
            if (total <= limitBytes)
                break;
            FileLock? fileLock = FileLock.TryAcquire(LockPathFor(file.FullName), TimeSpan.Zero, out string failure);
            if (fileLock is null)
            {
                Log.EvictionFailed(logger, file.FullName, $"it is being saved ({failure})");
                continue;
            }
            try
            {
                // Saved again since we listed it: no longer the least recently used.
                file.Refresh();
                if (!file.Exists)
                {
                    total -= file.Length;
                    continue;
                }
                if (string.Equals(file.FullName, justSaved, StringComparison.Ordinal))
                    Log.FileOverLimit(logger, file.FullName, file.Length, limitBytes);
                File.Delete(file.FullName);
                total -= file.Length;
                Log.Evicted(logger, file.FullName, file.Length, file.LastWriteTimeUtc, limitBytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.EvictionFailed(logger, file.FullName, e.Message);
            }
            finally
            {
                fileLock.DeleteAndRelease();
            }
        }
    }

    private void DeleteStaleTempFiles()
    {
        try
        {
            DateTime cutoff = DateTime.UtcNow - StaleTempAge;
            foreach (FileInfo file in new DirectoryInfo(FullPath).EnumerateFiles("*" + TempExtension))
                if (file.LastWriteTimeUtc < cutoff)
                    TryDelete(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Cleaning up is best effort.
        }
    }

    // ===================================================================== helpers

    private static CacheRejection Reject(CacheRejectionReason reason, string path, string detail) => new(reason, path, detail);

    internal static string Octal(uint permissions) => "0" + Convert.ToString(permissions, 8).PadLeft(3, '0');
}

/// <summary>The outcome of checking the cache directory.</summary>
internal sealed record DirectoryTrust(bool Exists, uint EffectiveUserId, byte[]? Secret, CacheRejection? Problem)
{
    public bool IsTrusted => Problem is null && Exists;

    public static DirectoryTrust Trusted(uint euid, byte[]? secret) => new(true, euid, secret, null);
    public static DirectoryTrust Absent(uint euid) => new(false, euid, null, null);
    public static DirectoryTrust Refused(CacheRejection problem, uint euid = 0) => new(true, euid, null, problem);
}

internal enum ModuleFileState { Missing, Valid, Rejected }

/// <summary>The outcome of reading a module file.</summary>
internal sealed record ModuleFileRead(ModuleFileState State, CacheFileContents? Contents, CacheRejection? Problem, long SizeBytes)
{
    public static readonly ModuleFileRead Missing = new(ModuleFileState.Missing, null, null, 0);
    public static ModuleFileRead Rejected(CacheRejection problem) => new(ModuleFileState.Rejected, null, problem, 0);
}
