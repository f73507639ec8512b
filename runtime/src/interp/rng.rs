//! The random numbers of one execution (retry jitter, MathRandom, UUIDs,
//! task tokens): seeded so runs are reproducible, and only when first
//! drawn, as most executions draw none.

use rand::rngs::StdRng;
use rand::SeedableRng;
use std::convert::Infallible;

pub struct SeededRng {
    seed: u64,
    /// Boxed: the generator's state is a few hundred bytes, and the
    /// execution that holds this is moved as it is set up.
    rng: Option<Box<StdRng>>,
}

impl SeededRng {
    pub fn new(seed: u64) -> SeededRng {
        SeededRng { seed, rng: None }
    }

    fn rng(&mut self) -> &mut StdRng {
        self.rng.get_or_insert_with(|| Box::new(StdRng::seed_from_u64(self.seed)))
    }
}

impl rand::TryRng for SeededRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.rng().try_next_u32()
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.rng().try_next_u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.rng().try_fill_bytes(dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// Seeded on first use, it draws what a generator seeded at once draws.
    #[test]
    fn draws_as_a_generator_seeded_at_once() {
        let mut lazy = SeededRng::new(42);
        let mut eager = StdRng::seed_from_u64(42);
        for _ in 0..10 {
            assert_eq!(lazy.random::<u64>(), eager.random::<u64>());
            assert_eq!(lazy.random::<u32>(), eager.random::<u32>());
        }
    }
}
