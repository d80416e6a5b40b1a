//! Moving one entry of an ordered list a step up or down, as the dashboard's arrows do: the
//! result is the whole list in its new order, so positions can be written back as 0, 1, 2…
//! and stay dense whatever gaps or ties the stored positions had.

use crate::string_enum::string_enum;

string_enum! {
    /// Which way an entry moves: up is towards the top of the page.
    pub enum Direction as "direction" {
        Up = "up",
        Down = "down",
    }
}

/// `order` with `entry` swapped with its neighbour in `direction`; `None` when `entry` is not
/// in the list. Moving the first entry up, or the last one down, leaves the order as it is.
pub fn moved<T: PartialEq + Clone>(order: &[T], entry: &T, direction: Direction) -> Option<Vec<T>> {
    let index = order.iter().position(|candidate| candidate == entry)?;
    let mut result = order.to_vec();
    let neighbour = match direction {
        Direction::Up => index.checked_sub(1),
        Direction::Down => Some(index + 1).filter(|next| *next < order.len()),
    };
    if let Some(neighbour) = neighbour {
        result.swap(index, neighbour);
    }
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_swaps_with_its_neighbour() {
        let order = ["a", "b", "c", "d"];
        assert_eq!(moved(&order, &"c", Direction::Up), Some(vec!["a", "c", "b", "d"]));
        assert_eq!(moved(&order, &"c", Direction::Down), Some(vec!["a", "b", "d", "c"]));
        assert_eq!(moved(&order, &"b", Direction::Up), Some(vec!["b", "a", "c", "d"]));
    }

    #[test]
    fn the_ends_stay_put() {
        let order = ["a", "b", "c"];
        assert_eq!(moved(&order, &"a", Direction::Up), Some(vec!["a", "b", "c"]));
        assert_eq!(moved(&order, &"c", Direction::Down), Some(vec!["a", "b", "c"]));
        assert_eq!(moved(&["only"], &"only", Direction::Down), Some(vec!["only"]));
    }

    #[test]
    fn an_unknown_entry_is_none() {
        assert_eq!(moved(&["a", "b"], &"z", Direction::Up), None);
        assert_eq!(moved::<&str>(&[], &"a", Direction::Down), None);
    }

    #[test]
    fn moving_up_then_down_restores_the_order() {
        let order: Vec<u32> = (0..6).collect();
        for entry in &order {
            let up = moved(&order, entry, Direction::Up).unwrap();
            let back = moved(&up, entry, Direction::Down).unwrap();
            if *entry != 0 {
                assert_eq!(back, order, "{entry}");
            }
        }
    }

    #[test]
    fn directions_read_and_print() {
        assert_eq!("up".parse::<Direction>(), Ok(Direction::Up));
        assert_eq!(Direction::Down.as_str(), "down");
        assert!("sideways".parse::<Direction>().is_err());
    }
}
