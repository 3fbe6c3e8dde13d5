//! Where the tag picker stands, and how far to scroll so that it and the selection it acts on are both in view.

use super::app::Place;

/// Gap between the selection and the picker, and between the picker and the edges of the view
/// (CSS pixels).
pub const GAP: f64 = 8.0;
/// Room the picker takes across (its CSS width, 330 px, and a little): it is moved left to keep
/// it on the screen.
pub const PICKER_ROOM: f64 = 340.0;
/// Room for a line of the document's text (CSS pixels; 1.65 × 17 px, with room to spare).
pub const LINE: f64 = 32.0;

/// The page position of a picker under a selection whose bottom-left corner is at
/// (`left`, `bottom`) in the view, for a view `width` wide scrolled to (`scroll_x`, `scroll_y`).
pub fn under(left: f64, bottom: f64, scroll_x: f64, scroll_y: f64, width: f64) -> Place {
    Place {
        // min/max, not f64::clamp: clamp's assertion message keeps float printing in the wasm
        // (~9 KB gzip).
        left: (left + scroll_x)
            .min(scroll_x + width - PICKER_ROOM)
            .max(scroll_x + GAP),
        top: bottom + scroll_y + GAP,
    }
}

/// The bottom of the selection a picker at `place` was put under, in page pixels.
pub fn selection_bottom(place: Place) -> f64 {
    place.top - GAP
}

/// How far to scroll down (view pixels; negative: up) so that a picker whose box spans
/// `picker_top..picker_bottom` in a view `height` tall fits the view and does not cover the
/// selection, whose bottom is at `selection` — the picker may be docked to the bottom of the
/// view (phones) or stand under the selection in the page. The selection's last line is never
/// left under the sticky toolbar, whose bottom is at `toolbar` (a selection made there by the
/// keyboard is brought down): when both cannot fit, the selection wins.
pub fn scroll_to_show(
    height: f64,
    toolbar: f64,
    selection: f64,
    picker_top: f64,
    picker_bottom: f64,
) -> f64 {
    // A picker standing under the selection starts below it (a pixel or so off: the page
    // rounds its position); one docked to the bottom of the view may start above it, covering
    // it or hiding it further down.
    let want = if picker_top < selection {
        selection - picker_top + GAP
    } else if picker_bottom > height {
        picker_bottom - height + GAP
    } else {
        0.0
    };
    // How far the selection's last line can go up before the toolbar covers it.
    let room = selection - toolbar - LINE;
    if room < 0.0 {
        return room;
    }
    want.min(room)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picker_under_the_selection_stays_on_the_screen_across() {
        // 360 px wide, scrolled 100 down: a selection at the right edge puts the picker
        // 340 px from the right edge; at the left edge, 8 px in.
        assert_eq!(
            under(300.0, 50.0, 0.0, 100.0, 360.0),
            Place {
                left: 20.0,
                top: 158.0
            }
        );
        assert_eq!(under(2.0, 50.0, 0.0, 0.0, 1280.0).left, 8.0);
        assert_eq!(under(400.0, 50.0, 10.0, 0.0, 1280.0).left, 410.0);
        assert_eq!(
            selection_bottom(under(400.0, 50.0, 0.0, 30.0, 1280.0)),
            80.0
        );
    }

    #[test]
    fn a_picker_running_off_the_bottom_is_scrolled_into_view() {
        // View 1024 tall; selection bottom at 700; picker under it from 708 to 1158: scroll
        // 1158 - 1024 + 8 = 142 so that it ends 8 px above the bottom.
        assert_eq!(scroll_to_show(1024.0, 56.0, 700.0, 708.0, 1158.0), 142.0);
        // The same when the page rounded the picker's position to a pixel above.
        assert_eq!(scroll_to_show(1024.0, 56.0, 700.7, 708.0, 1158.0), 142.0);
        // It fits: no scroll.
        assert_eq!(scroll_to_show(1024.0, 56.0, 300.0, 308.0, 758.0), 0.0);
    }

    #[test]
    fn a_docked_picker_covering_the_selection_scrolls_the_selection_above_it() {
        // Phone view 640 tall, picker docked from 320 to 640, selection bottom at 500:
        // scroll 500 - 320 + 8 = 188.
        assert_eq!(scroll_to_show(640.0, 56.0, 500.0, 320.0, 640.0), 188.0);
        // The selection below the view, under the docked picker: brought above it.
        assert_eq!(scroll_to_show(640.0, 56.0, 900.0, 320.0, 640.0), 588.0);
        // The selection already above the docked picker: no scroll.
        assert_eq!(scroll_to_show(640.0, 56.0, 200.0, 320.0, 640.0), 0.0);
    }

    #[test]
    fn the_selection_is_never_scrolled_under_the_toolbar() {
        // A picker taller than the room between toolbar and the view's bottom: scroll only
        // until a line above the selection's bottom is clear of the toolbar. Toolbar to 56,
        // a line of 32: the selection's bottom stops at 88, 12 px up from 100.
        assert_eq!(scroll_to_show(640.0, 56.0, 100.0, 108.0, 900.0), 12.0);
        assert_eq!(scroll_to_show(640.0, 56.0, 88.0, 96.0, 900.0), 0.0);
        // A selection under the toolbar (by the keyboard, at the top of a short view) comes
        // down until its last line is clear: 56 + 32 - 43 = 45 px.
        assert_eq!(scroll_to_show(256.0, 56.0, 43.0, 128.0, 256.0), -45.0);
        // A toolbar of two rows (tablets) covers more: 200 - 110 - 32 = 58.
        assert_eq!(scroll_to_show(1024.0, 110.0, 200.0, 208.0, 1400.0), 58.0);
    }
}
