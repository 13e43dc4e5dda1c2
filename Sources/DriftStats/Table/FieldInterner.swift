import Foundation

/// The distinct fields of a text column by their bytes, each with a code: an open-addressing table over the raw
/// bytes, so a value seen before costs a short hash and one comparison instead of building and hashing a String.
struct FieldInterner {
    /// Each entry's bytes, back to back; entry i ends at `ends[i]`.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var codes: [Int32] = []
    private var hashes: [Int] = []
    /// Entry indices by hash; -1 is empty. The count is a power of two, at most half full.
    private var slots = [Int32](repeating: -1, count: 64)

    /// The code stored for `field`, or the one `makeCode` gives it the first time it is seen.
    @inline(__always)
    mutating func code(for field: UnsafeBufferPointer<UInt8>, makeCode: (UnsafeBufferPointer<UInt8>) throws -> Int32) rethrows -> Int32 {
        let hash = Self.hash(field)
        var slot = hash & (self.slots.count - 1)
        while true {
            let entry = Int(self.slots[slot])
            if entry < 0 { break }
            if self.hashes[entry] == hash, self.entry(entry, equals: field) { return self.codes[entry] }
            slot = (slot + 1) & (self.slots.count - 1)
        }
        let code = try makeCode(field)
        self.slots[slot] = Int32(self.codes.count)
        self.bytes.append(contentsOf: field)
        self.ends.append(self.bytes.count)
        self.codes.append(code)
        self.hashes.append(hash)
        if self.codes.count * 2 > self.slots.count { self.grow() }
        return code
    }

    private func entryBytes(_ entry: Int) -> Range<Int> {
        (entry == 0 ? 0 : self.ends[entry - 1])..<self.ends[entry]
    }

    @inline(__always)
    private func entry(_ entry: Int, equals field: UnsafeBufferPointer<UInt8>) -> Bool {
        let range = self.entryBytes(entry)
        guard range.count == field.count else { return false }
        return self.bytes.withUnsafeBufferPointer { bytes in
            guard let stored = bytes.baseAddress.map({ $0 + range.lowerBound }), let given = field.baseAddress else { return field.isEmpty }
            // Levels are mostly short: a loop beats a call to memcmp.
            guard field.count <= 16 else { return memcmp(stored, given, field.count) == 0 }
            for index in 0..<field.count where stored[index] != given[index] { return false }
            return true
        }
    }

    private mutating func grow() {
        var slots = [Int32](repeating: -1, count: self.slots.count * 2)
        for entry in self.codes.indices {
            var slot = self.hashes[entry] & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(entry)
        }
        self.slots = slots
    }

    /// FNV-1a with a final mix so the low bits, which pick the slot, depend on every byte.
    @inline(__always)
    private static func hash(_ field: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in field { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash ^= hash >> 29
        hash &*= 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 32
        return Int(truncatingIfNeeded: hash)
    }
}
