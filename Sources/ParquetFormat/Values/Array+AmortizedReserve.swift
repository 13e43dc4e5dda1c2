extension Array {
    /// Makes room for `additional` more elements while keeping growth geometric.
    ///
    /// `reserveCapacity(count + n)` allocates exactly that much, so calling it once per page
    /// or per row group turns a sequence of appends into repeated full copies (quadratic).
    /// This grows to at least double the current capacity instead.
    mutating func reserveAdditionalCapacity(_ additional: Int) {
        let needed = count + additional
        if needed > capacity {
            reserveCapacity(Swift.max(needed, capacity * 2))
        }
    }
}
