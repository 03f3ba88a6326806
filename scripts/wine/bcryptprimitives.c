/*
 * Test harness only: never shipped, never in the installer.
 *
 * Every Go >= 1.22 Windows program calls ProcessPrng from
 * bcryptprimitives.dll at start-up; Debian 12's Wine 8.0 has no such DLL,
 * so blk.exe dies with "fatal error: bcryptprimitives.dll not found".
 * scripts/windows-check.sh builds this stand-in with mingw and puts it in
 * its own throw-away Wine prefix. It fills the buffer from RtlGenRandom
 * (advapi32's SystemFunction036), which Wine does implement.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG chunk = size > 0x10000000 ? 0x10000000 : (ULONG)size;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
