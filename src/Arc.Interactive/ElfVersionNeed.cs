using System.Text;

namespace Arc.Interactive;

/// <summary>
/// Marks named version requirements (GLIBCXX_3.4.32) WEAK in a 64-bit little-endian ELF shared object's
/// <c>.gnu.version_r</c> section, so the dynamic loader accepts an older libstdc++. The same patch as the build task in
/// build/WeakenElfVersionNeed.cs (which explains why it is safe), applied at run time: a notebook that loads Arc from
/// NuGet packages has no build to patch its copy of libLibTorchSharp.so.
/// </summary>
internal static class ElfVersionNeed
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Marks <paramref name="versions"/> weak in <paramref name="data"/>; returns those it changed.</summary>
    /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file.</exception>
    public static IReadOnlyList<string> Weaken(byte[] data, IReadOnlySet<string> versions)
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
                    if (versions.Contains(name) && (flags & VerFlgWeak) == 0)
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
