using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks named version requirements (for example GLIBCXX_3.4.32) WEAK in the .gnu.version_r section of
/// 64-bit little-endian ELF shared objects, so the dynamic loader tolerates a libstdc++ that lacks them.
/// Idempotent: a file that needs no change is not rewritten (its timestamp stays, builds stay incremental).
/// </summary>
public sealed class ArcWeakenElfVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string Versions { get; set; } = "";

    public override bool Execute()
    {
        var wanted = new HashSet<string>(Versions.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim()));
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var data = File.ReadAllBytes(path);
                var changed = Weaken(data, wanted);
                if (changed.Count == 0) continue;
                var temp = path + ".arc-patch";
                File.WriteAllBytes(temp, data);
                // Delete then move: the output copy may be a hard link into the NuGet cache, which must stay untouched.
                File.Delete(path);
                File.Move(temp, path);
                Log.LogMessage(MessageImportance.Normal, "Arc: marked {0} WEAK in {1}", string.Join(", ", changed), path);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("Arc: could not patch {0} for GLIBCXX compatibility: {1}", path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static List<string> Weaken(byte[] data, HashSet<string> wanted)
    {
        if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F' || data[4] != 2 || data[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        long shoff = (long)BitConverter.ToUInt64(data, 0x28);
        int shentsize = BitConverter.ToUInt16(data, 0x3A);
        int shnum = BitConverter.ToUInt16(data, 0x3C);
        var changed = new List<string>();
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(data, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(data, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(data, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(data, (int)sh + 44);
            long strtab = (long)BitConverter.ToUInt64(data, (int)(shoff + (long)link * shentsize) + 24);
            long entry = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(data, (int)entry + 2);
                long aux = entry + BitConverter.ToUInt32(data, (int)entry + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = BitConverter.ToUInt16(data, (int)aux + 4);
                    string name = ReadString(data, strtab + BitConverter.ToUInt32(data, (int)aux + 8));
                    if (wanted.Contains(name) && (flags & VerFlgWeak) == 0)
                    {
                        ushort weak = (ushort)(flags | VerFlgWeak);
                        data[aux + 4] = (byte)weak;
                        data[aux + 5] = (byte)(weak >> 8);
                        changed.Add(name);
                    }
                    uint next = BitConverter.ToUInt32(data, (int)aux + 12);
                    if (next == 0) break;
                    aux += next;
                }
                uint nextEntry = BitConverter.ToUInt32(data, (int)entry + 12);
                if (nextEntry == 0) break;
                entry += nextEntry;
            }
        }
        return changed;
    }

    private static string ReadString(byte[] data, long start)
    {
        long end = start;
        while (data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }
}
