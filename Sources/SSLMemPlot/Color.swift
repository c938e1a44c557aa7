import Foundation

/// An sRGB colour with alpha, components in [0, 1].
public struct Color: Sendable, Equatable {
    public var red, green, blue, alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// From a hex triple such as 0xD55E00.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    public func opacity(_ alpha: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: alpha) }

    /// Relative luminance (WCAG), to choose black or white text on a fill.
    public var luminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.03928 ? c / 12.92 : Foundation.pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    public static let grey = Color(hex: 0x7F7F7F)
    public static let lightGrey = Color(hex: 0xD9D9D9)
}

/// Okabe & Ito (2008) categorical colours, distinguishable with every common
/// colour-vision deficiency.
public enum OkabeIto {
    public static let orange = Color(hex: 0xE69F00)
    public static let skyBlue = Color(hex: 0x56B4E9)
    public static let bluishGreen = Color(hex: 0x009E73)
    public static let yellow = Color(hex: 0xF0E442)
    public static let blue = Color(hex: 0x0072B2)
    public static let vermillion = Color(hex: 0xD55E00)
    public static let reddishPurple = Color(hex: 0xCC79A7)
    public static let black = Color(hex: 0x000000)

    /// In the order to assign to series.
    public static let sequence = [blue, vermillion, bluishGreen, orange, reddishPurple, skyBlue, yellow, black]
}

/// Viridis (van der Walt & Smith, matplotlib), perceptually uniform and
/// colour-blind safe: linear interpolation between nine of its stops.
public enum Viridis {
    static let stops: [UInt32] = [
        0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xFDE725
    ]

    /// The colour at t ∈ [0, 1] (clamped).
    public static func color(_ t: Double) -> Color {
        let x = min(1, max(0, t.isNaN ? 0 : t)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x))
        let f = x - Double(i)
        let a = Color(hex: stops[i])
        let b = Color(hex: stops[i + 1])
        return Color(
            red: a.red + f * (b.red - a.red), green: a.green + f * (b.green - a.green),
            blue: a.blue + f * (b.blue - a.blue))
    }
}

/// The diverging map for signed quantities (the SSLMem score, Kendall's τ): ColorBrewer's RdBu with 11
/// classes (Brewer, Harrower & Pennsylvania State University, colorbrewer2.org; matplotlib's `RdBu_r`
/// order), blue for negative, near-white (#F7F7F7) at 0, red for positive, linearly interpolated between
/// its stops. ColorBrewer rates RdBu colour-blind safe; its lightness rises monotonically from both ends
/// to the centre, so in grayscale print |value| stays readable (dark = far from 0) while the hue carries
/// the sign (print values or a legend where the sign matters). Stops, from −1 to +1:
/// 053061 2166AC 4393C3 92C5DE D1E5F0 F7F7F7 FDDBC7 F4A582 D6604D B2182B 67001F.
public enum Diverging {
    static let stops: [UInt32] = [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
        0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F
    ]

    /// The neutral colour, at 0.
    public static let neutral = Color(hex: 0xF7F7F7)

    /// The colour of `value` on a map centred at 0 that saturates at ±`limit` (clamped beyond;
    /// NaN gives the neutral colour). `limit` ≤ 0 or non-finite maps everything to neutral.
    public static func color(_ value: Double, limit: Double = 1) -> Color {
        guard limit > 0, limit.isFinite, value.isFinite else { return neutral }
        let t = (min(1, max(-1, value / limit)) + 1) / 2 * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(t))
        let f = t - Double(i)
        let a = Color(hex: stops[i])
        let b = Color(hex: stops[i + 1])
        return Color(
            red: a.red + f * (b.red - a.red), green: a.green + f * (b.green - a.green),
            blue: a.blue + f * (b.blue - a.blue))
    }

    /// A scale symmetric about 0 that holds every finite value (at least ±`minimum`), for a
    /// colour bar whose middle is 0.
    public static func symmetricScale(_ values: [Double], minimum: Double = 1e-12) -> Scale {
        let m = max(minimum, values.filter(\.isFinite).map { abs($0) }.max() ?? minimum)
        return Scale(-m, m)
    }
}
